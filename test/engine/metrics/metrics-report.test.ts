import { describe, expect, it } from 'vitest';
import { DeliveryLedger } from '../../../src/engine/ledger/delivery-ledger.ts';
import { MetricsCollector } from '../../../src/engine/metrics/metrics-collector.ts';
import {
  buildMetricsReport,
  NONDETERMINISTIC_REPORT_FIELDS,
} from '../../../src/engine/metrics/metrics-report.ts';
import { findNonJsonValue } from '../../../src/protocol/index.ts';
import { RUN_ID } from '../ledger/delivery-history.ts';
import { buildSampleReport, RUN_INFO, recordSampleRun } from './metrics-fixture.ts';

function withoutPaths(value: unknown, paths: readonly string[]): unknown {
  const copy = JSON.parse(JSON.stringify(value));
  for (const path of paths) {
    const keys = path.split('.');
    const parent = keys.slice(0, -1).reduce((node, key) => node[key], copy);
    delete parent[keys.at(-1)!];
  }
  return copy;
}

describe('buildMetricsReport', () => {
  it('uses the seed report names and values', () => {
    const report = buildSampleReport();
    expect(report).toMatchObject({
      schema_version: 1,
      total_processed: 18,
      success_count: 17,
      failure_count: 1,
      success_rate: 17 / 18,
      duration: 0.15,
      throughput: 17 / 0.15,
      by_message_type: { BROADCAST: 9, ONBOARDING: 2, SYSTEM_TO_AGENT: 6 },
      by_agent: { 'Agent-1': 6, 'Agent-2': 6, 'Agent-3': 5 },
      retries: 1,
      dead_lettered: 1,
      duplicate_deliveries: 1,
      chaos: { core_failure: 1, slow_delivery: 2 },
      replay: { seed: 42, command: 'npx vitest-stress replay --seed 42' },
    });
    expect(Object.keys(report.latency_stats)).toEqual([
      'count',
      'min_ms',
      'max_ms',
      'avg_ms',
      'p50_ms',
      'p90_ms',
      'p95_ms',
      'p99_ms',
      'p999_ms',
      'stddev_ms',
    ]);
    expect(report.latency_stats).toMatchObject({ count: 17, min_ms: 3, max_ms: 9 });
    expect(Object.keys(report.latency_by_type)).toEqual(['BROADCAST', 'ONBOARDING', 'SYSTEM_TO_AGENT']);
    expect(report.attempts.total).toBe(20);
    expect(report.queue_depth).toEqual({ max: 12, mean: expect.closeTo(7.6, 9), samples: 13 });
    expect(report.invariants.valid).toBe(true);
  });

  it('is JSON-plain and survives a JSON round trip', () => {
    const report = buildSampleReport({ 'latency_stats.p95_ms': '< 50' });
    expect(findNonJsonValue(report)).toBeUndefined();
    expect(JSON.parse(JSON.stringify(report))).toEqual(report);
  });

  it('is the same for the same run except for its wall-clock and environment fields', () => {
    const first = buildSampleReport();
    const { snapshot, invariants } = recordSampleRun();
    const second = buildMetricsReport({
      snapshot,
      invariants,
      run: { ...RUN_INFO, started_at: '2030-01-01T00:00:00Z', wall_time_ms: 99, node_version: 'v22.0.0' },
      replay: first.replay,
    });
    expect(second).not.toEqual(first);
    expect(withoutPaths(second, NONDETERMINISTIC_REPORT_FIELDS)).toEqual(
      withoutPaths(first, NONDETERMINISTIC_REPORT_FIELDS),
    );
  });

  it('uses null, never NaN or 0, for rates and latencies of an empty run', () => {
    const ledger = new DeliveryLedger({ runId: RUN_ID });
    const invariants = ledger.finish({ pending: 0, processing: 0 });
    const snapshot = new MetricsCollector().snapshot({ durationMs: 0, units: invariants });
    const report = buildMetricsReport({ snapshot, invariants, run: RUN_INFO });
    expect(report).toMatchObject({ total_processed: 0, success_rate: null, throughput: null, replay: null });
    expect(report.latency_stats.p95_ms).toBeNull();
    expect(report.queue_depth).toEqual({ max: null, mean: null, samples: 0 });
    expect(findNonJsonValue(report)).toBeUndefined();
  });

  it('evaluates thresholds against the report it builds', () => {
    const report = buildSampleReport({ success_rate: '>= 0.99', 'invariants.lost': '== 0' });
    expect(report.thresholds).toEqual([
      {
        metric: 'success_rate',
        expression: '>= 0.99',
        ok: false,
        value: 17 / 18,
        reason: `Measured ${17 / 18}, expected >= 0.99.`,
      },
      { metric: 'invariants.lost', expression: '== 0', ok: true, value: 0 },
    ]);
  });
});
