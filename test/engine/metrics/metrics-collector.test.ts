import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DeliveryLedger } from '../../../src/engine/ledger/delivery-ledger.ts';
import { LatencyHistogram } from '../../../src/engine/metrics/latency-histogram.ts';
import { MetricsCollector } from '../../../src/engine/metrics/metrics-collector.ts';
import type { DeliveryEvent } from '../../../src/engine/mock-core/delivery-sink.ts';
import { findNonJsonValue } from '../../../src/protocol/index.ts';
import { AGENTS, attempt, message, RUN_ID } from '../ledger/delivery-history.ts';
import { recordSampleRun } from './metrics-fixture.ts';

const units = { sent: 0, rejected: 0, delivered: 0, dead_lettered: 0, lost: 0 };

describe('MetricsCollector', () => {
  it('measures latency from intended send time to the first delivery only', () => {
    const collector = new MetricsCollector({ agents: AGENTS });
    const msg = message(0, { createdAt: 100, type: 'onboarding', recipient: 'Agent-2' });
    collector.recordDelivery(
      attempt(msg, { startedAt: 103, serviceMs: 2, outcome: 'failed' }),
      'not_reached',
    );
    collector.recordDelivery(attempt(msg, { startedAt: 110, serviceMs: 4 }), 'first');
    collector.recordDelivery(attempt(msg, { startedAt: 200, serviceMs: 1 }), 'duplicate');
    const snapshot = collector.snapshot({ durationMs: 300, units });
    const latency = LatencyHistogram.decode(snapshot.latency);
    expect([latency.count, latency.minUs, latency.maxUs]).toEqual([1, 14_000, 14_000]);
    expect(LatencyHistogram.decode(snapshot.latency_by_agent['Agent-2']!).count).toBe(1);
    expect(LatencyHistogram.decode(snapshot.latency_by_type.onboarding!).count).toBe(1);
    const service = LatencyHistogram.decode(snapshot.service_time);
    expect([service.count, service.sumUs]).toEqual([3, 7000]);
    expect(snapshot.attempts).toMatchObject({ delivered: 2, failed: 1 });
    expect(snapshot.duplicate_deliveries).toBe(1);
    expect(snapshot.by_agent).toEqual({ 'Agent-1': 0, 'Agent-2': 1, 'Agent-3': 0 });
    expect(snapshot.by_type).toEqual({ onboarding: 1 });
  });

  it('counts every outcome and indexes recipients it was not told about', () => {
    const collector = new MetricsCollector();
    const outcomes = [
      'delivered',
      'failed',
      'threw',
      'hung',
      'refused',
      'delivered_reported_failed',
    ] as const;
    outcomes.forEach((outcome, i) => {
      const msg = message(i, { recipient: 'Captain-4' });
      collector.recordDelivery(attempt(msg, { outcome }), 'not_reached');
    });
    const snapshot = collector.snapshot({ durationMs: 1, units });
    expect(Object.values(snapshot.attempts)).toEqual([1, 1, 1, 1, 1, 1]);
    collector.recordDelivery(attempt(message(9, { recipient: 'Captain-4' })), 'first');
    expect(collector.snapshot({ durationMs: 1, units }).by_agent).toEqual({ 'Captain-4': 1 });
  });

  it('keeps a time-weighted queue depth: each depth holds until the next sample', () => {
    const collector = new MetricsCollector();
    collector.sampleQueueDepth(0, 0);
    collector.sampleQueueDepth(10, 10);
    collector.sampleQueueDepth(0, 20);
    expect(collector.snapshot({ durationMs: 20, units }).queue_depth).toEqual({
      samples: 3,
      max: 10,
      sum: 10,
      weighted_sum: 100,
      span_ms: 20,
    });
  });

  it('counts retries and faults by kind, kinds sorted', () => {
    const collector = new MetricsCollector();
    collector.recordRetry();
    collector.recordChaos('store_write_failure');
    collector.recordChaos('crash', 2);
    collector.recordChaos('store_write_failure');
    const snapshot = collector.snapshot({ durationMs: 1, units });
    expect(snapshot.retries).toBe(1);
    expect(Object.entries(snapshot.chaos)).toEqual([
      ['crash', 2],
      ['store_write_failure', 2],
    ]);
  });

  it('produces a JSON-plain snapshot that survives a JSON round trip', () => {
    const { snapshot } = recordSampleRun();
    expect(findNonJsonValue(snapshot)).toBeUndefined();
    expect(JSON.parse(JSON.stringify(snapshot))).toEqual(snapshot);
    expect(snapshot.units).toEqual({
      sent: 18,
      rejected: 0,
      rejected_by_chaos: 0,
      delivered: 17,
      dead_lettered: 1,
      lost: 0,
    });
  });

  it('validates its options', () => {
    expect(() => new MetricsCollector({ agentSignificantDigits: 0 as never })).toThrow(
      /agentSignificantDigits/,
    );
    expect(() => new MetricsCollector({ agents: 'Agent-1' as never })).toThrow(/agents/);
  });

  it('agrees with the ledger on delivered units per agent', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ to: fc.constantFrom(...AGENTS), copies: fc.integer({ min: 0, max: 3 }) }), {
          maxLength: 40,
        }),
        (plan) => {
          const ledger = new DeliveryLedger({ runId: RUN_ID, agents: AGENTS });
          const collector = new MetricsCollector({ agents: AGENTS });
          plan.forEach(({ to, copies }, i) => {
            const msg = message(i, { recipient: to });
            ledger.recordSent(msg, [to]);
            ledger.recordAccepted(msg.id);
            for (let c = 0; c < copies; c++) {
              const event: DeliveryEvent = attempt(msg, { startedAt: i + c });
              collector.recordDelivery(event, ledger.recordDelivery(event));
            }
          });
          const report = ledger.finish({ pending: 0, processing: 0 });
          const snapshot = collector.snapshot({ durationMs: 1, units: report });
          const perAgent = Object.values(snapshot.by_agent).reduce((sum, n) => sum + n, 0);
          expect(perAgent).toBe(report.delivered);
          expect(LatencyHistogram.decode(snapshot.latency).count).toBe(report.delivered);
          expect(snapshot.duplicate_deliveries).toBe(report.duplicate_deliveries);
        },
      ),
    );
  });
});
