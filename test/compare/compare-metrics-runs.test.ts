import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { COMPARED_METRICS, compareMetricsRuns, type RegressionRow } from '../../src/compare/index.ts';
import type { MetricsReport } from '../../src/engine/index.ts';
import { StressError } from '../../src/protocol/index.ts';
import { runStress } from '../../src/reference/run-stress.ts';

let base: MetricsReport;
beforeAll(async () => {
  base = (await runStress({ agents: 3, messagesPerAgent: 20, seed: 11 })).metrics;
});

type Mutable = { -readonly [K in keyof MetricsReport]: MetricsReport[K] } & Record<string, unknown>;

/** A copy of the base report with the latency percentiles scaled and some fields replaced. */
function variant(scale: number, patch: (report: Mutable) => void = () => {}): MetricsReport {
  const copy = structuredClone(base) as Mutable;
  const stats = copy.latency_stats as unknown as Record<string, number | null>;
  for (const key of ['avg_ms', 'p50_ms', 'p95_ms', 'p99_ms']) stats[key] = (stats[key] as number) * scale;
  patch(copy);
  return copy;
}

const row = (rows: readonly RegressionRow[], metric: string): RegressionRow =>
  rows.find((r) => r.metric === metric)!;

describe('compareMetricsRuns', () => {
  it('finds nothing between a report and itself', () => {
    const report = compareMetricsRuns([base], [base]);
    expect(report.ok).toBe(true);
    expect(report.rows.map((r) => r.verdict)).toEqual(COMPARED_METRICS.map(() => 'ok'));
    expect(report.warnings).toEqual([]);
  });

  it('flags a worse latency beyond the tolerance, and an improvement the other way', () => {
    const slower = compareMetricsRuns([base], [variant(1.2)], { tolerance: 0.1 });
    expect(slower.ok).toBe(false);
    expect(row(slower.rows, 'latency_stats.p95_ms')).toMatchObject({ verdict: 'regression', p_value: null });
    expect(row(slower.rows, 'latency_stats.p95_ms').change).toBeCloseTo(0.2, 6);
    const faster = compareMetricsRuns([variant(1.2)], [base], { tolerance: 0.1 });
    expect(faster.ok).toBe(true);
    expect(row(faster.rows, 'latency_stats.p95_ms').verdict).toBe('improvement');
    expect(compareMetricsRuns([base], [variant(1.2)], { tolerance: 0.25 }).ok).toBe(true);
  });

  it('judges throughput and success rate with higher as better', () => {
    const worse = variant(1, (r) => {
      r.throughput = (base.throughput as number) * 0.5;
      r.success_rate = 0.8;
    });
    const report = compareMetricsRuns([base], [worse]);
    expect(row(report.rows, 'throughput').verdict).toBe('regression');
    expect(row(report.rows, 'success_rate').verdict).toBe('regression');
  });

  it('counts any lost unit as a regression whatever the tolerance', () => {
    const lossy = variant(1, (r) => {
      r.invariants = { ...base.invariants, lost: 1 };
    });
    const report = compareMetricsRuns([base], [lossy], { tolerance: 5 });
    expect(row(report.rows, 'invariants.lost')).toMatchObject({ verdict: 'regression', change: null });
    expect(report.regressions).toBe(1);
  });

  it('with repeats, needs significance: overlapping runs are noise, separated runs regress', () => {
    const noisy = compareMetricsRuns(
      [variant(1), variant(1.4), variant(0.9)],
      [variant(1.3), variant(1.0), variant(1.35)],
      {
        tolerance: 0.1,
      },
    );
    expect(row(noisy.rows, 'latency_stats.p95_ms').verdict).toBe('noise');
    expect(noisy.ok).toBe(true);
    const separated = compareMetricsRuns(
      [variant(1), variant(1.01), variant(0.99), variant(1.02)],
      [variant(1.5), variant(1.52), variant(1.49), variant(1.51)],
    );
    const p95 = row(separated.rows, 'latency_stats.p95_ms');
    expect(p95.verdict).toBe('regression');
    expect(p95.p_value).toBeLessThanOrEqual(0.05);
    expect(p95.baseline.values).toHaveLength(4);
  });

  it('warns when the two sides ran different configurations', () => {
    const other = variant(1, (r) => {
      r.run = { ...base.run, agents: 5 };
    });
    expect(compareMetricsRuns([base], [other]).warnings).toEqual([
      expect.stringMatching(/run\.agents \(3 vs 5\)/),
    ]);
  });

  it('rejects bad options and empty sides', () => {
    expect(() => compareMetricsRuns([base], [base], { tolerance: -1 })).toThrow(StressError);
    expect(() => compareMetricsRuns([base], [base], { alpha: 1 })).toThrow(/`alpha`/);
    expect(() => compareMetricsRuns([], [base])).toThrow(/`baseline`/);
  });

  it('property: a latency change regresses exactly when it is worse than the tolerance', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.5, max: 2, noNaN: true }),
        fc.double({ min: 0.01, max: 0.5, noNaN: true }),
        (scale, tolerance) => {
          const verdict = row(
            compareMetricsRuns([base], [variant(scale)], { tolerance }).rows,
            'latency_stats.p95_ms',
          ).verdict;
          const change = scale - 1;
          if (Math.abs(Math.abs(change) - tolerance) < 1e-9) return true;
          if (change > tolerance) return verdict === 'regression';
          if (change < -tolerance) return verdict === 'improvement';
          return verdict === 'ok';
        },
      ),
    );
  });
});
