import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { mergeSnapshots, type StressReport, summarizeSnapshot } from '../../src/engine/index.ts';
import {
  assertRunMetricsFile,
  buildRunMetricsFile,
  createStressTestRecord,
  judgeRun,
  type StressTestRecord,
  summarizeTestReports,
  validateRunMetricsFile,
} from '../../src/report/index.ts';
import { sampleRecords, sampleReports } from './report-fixture.ts';

let reports: { plain: StressReport; chaotic: StressReport };
let records: StressTestRecord[];

beforeAll(async () => {
  reports = await sampleReports();
  records = sampleRecords(reports);
});

describe('buildRunMetricsFile', () => {
  it('totals the merged snapshots of every test, never averages', () => {
    const file = buildRunMetricsFile({
      tests: records,
      generatedAt: new Date(0),
      toolVersion: 't',
      nodeVersion: 'n',
    });
    const merged = mergeSnapshots(reports.plain.snapshot, reports.plain.snapshot, reports.chaotic.snapshot);
    // Merged in another grouping: counts are equal, float sums (durations) equal up to rounding.
    const snapshot = file.snapshot!;
    for (const key of ['units', 'attempts', 'by_agent', 'by_type', 'chaos', 'retries'] as const) {
      expect(snapshot[key], key).toEqual(merged[key]);
    }
    expect(snapshot.duration_ms).toBeCloseTo(merged.duration_ms, 6);
    const { throughput, duration, ...exact } = summarizeSnapshot(merged);
    expect(file.totals).toMatchObject({ ...exact, tests: 2, runs: 3 });
    expect(file.totals?.throughput).toBeCloseTo(throughput!, 6);
    expect(file.totals?.duration).toBeCloseTo(duration, 6);
    expect(file).toMatchObject({
      schema_version: 1,
      kind: 'vitest-stress-run',
      generated_at: '1970-01-01T00:00:00.000Z',
    });
  });

  it('has no totals when no test ran the engine', () => {
    const idle = createStressTestRecord({ name: 'idle' }, summarizeTestReports([]));
    const file = buildRunMetricsFile({ tests: [idle] });
    expect(file).toMatchObject({ totals: null, snapshot: null });
    expect(validateRunMetricsFile(file)).toEqual({ valid: true, errors: [] });
  });

  it('produces files valid against the run schema, for any subset and order of tests', () => {
    fc.assert(
      fc.property(fc.subarray([0, 1, 0, 1]), (picks) => {
        const file = buildRunMetricsFile({ tests: picks.map((i) => records[i]!) });
        expect(validateRunMetricsFile(JSON.parse(JSON.stringify(file)))).toEqual({ valid: true, errors: [] });
      }),
      { numRuns: 15 },
    );
  });

  it('names the field of every schema error', () => {
    const file = JSON.parse(JSON.stringify(buildRunMetricsFile({ tests: records }))) as Record<
      string,
      unknown
    >;
    (file.verdict as Record<string, unknown>).ok = 'yes';
    (file.tests as Record<string, unknown>[])[0]!.metrics = { schema_version: 1 };
    delete file.kind;
    const { valid, errors } = validateRunMetricsFile(file);
    expect(valid).toBe(false);
    expect(errors).toContain('(root): missing field "kind"');
    expect(errors).toContain('verdict.ok: must be boolean');
    expect(errors.some((error) => error.startsWith('tests.0.metrics: missing field'))).toBe(true);
    expect(() => assertRunMetricsFile(file)).toThrow(
      expect.objectContaining({ code: 'ERR_INVALID_METRICS_FILE' }),
    );
  });
});

describe('judgeRun', () => {
  it('passes a run whose tests passed with thresholds and isolation clean', () => {
    expect(judgeRun([records[0]!])).toMatchObject({ ok: true, tests: 1, passed: 1, reasons: [] });
  });

  it('fails on a failed test, a failing threshold and an isolation violation, one reason each', () => {
    const verdict = judgeRun(records);
    expect(verdict).toMatchObject({ ok: false, failed: 1, threshold_failures: 1, isolation_violations: 1 });
    expect(verdict.reasons).toEqual([
      'test "chaos run" failed: boom',
      expect.stringMatching(/^threshold `latency_stats\.p99_ms < 1` failed in "chaos run": Measured /),
      expect.stringMatching(/^isolation violation in "chaos run": Expected no network connections/),
    ]);
  });

  it('fails a run whose test bodies all passed when a threshold failed', () => {
    const passedBody = {
      ...records[1]!,
      state: 'passed' as const,
      errors: [],
      isolation: { mode: 'block' as const, violations: [] },
    };
    expect(judgeRun([passedBody])).toMatchObject({ ok: false, passed: 1, threshold_failures: 1 });
  });

  it('counts skipped and pending tests as skipped and adds extra reasons', () => {
    const skipped = { ...records[0]!, state: 'skipped' as const };
    const pending = { ...records[0]!, state: 'pending' as const };
    expect(judgeRun([skipped, pending], ['interrupted'])).toMatchObject({
      ok: false,
      skipped: 2,
      reasons: ['interrupted'],
    });
  });
});
