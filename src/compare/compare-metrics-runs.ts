import type { MetricsReport } from '../engine/index.ts';
import { invalidOption, type JsonValue } from '../protocol/index.ts';
import { COMPARED_METRICS, type MetricDirection, metricValues } from './compared-metrics.ts';
import { worsePValue } from './significance.ts';

/** Options of {@link compareMetricsRuns}. */
export interface RegressionOptions {
  /** Relative change allowed before a worse value counts, as a fraction (0.1 = 10 %). @default 0.1 */
  readonly tolerance?: number;
  /** With repeated runs on both sides, a change must also be significant at this level. @default 0.05 */
  readonly alpha?: number;
}

/** How one metric compares. */
export type RegressionVerdict = 'ok' | 'regression' | 'improvement' | 'noise' | 'missing';

/** One row of a {@link RegressionReport}; JSON-plain. */
export interface RegressionRow {
  readonly metric: string;
  readonly label: string;
  readonly better: MetricDirection;
  readonly baseline: { readonly mean: number | null; readonly values: readonly number[] };
  readonly current: { readonly mean: number | null; readonly values: readonly number[] };
  /** (current − baseline) / |baseline|; `null` when the baseline is 0 or missing. */
  readonly change: number | null;
  /** One-sided permutation-test p-value that current is worse; `null` without repeats on both sides. */
  readonly p_value: number | null;
  readonly verdict: RegressionVerdict;
}

/** The result of a regression check; `ok` is false when any metric regressed beyond tolerance. */
export interface RegressionReport {
  readonly schema_version: 1;
  readonly ok: boolean;
  readonly tolerance: number;
  readonly alpha: number;
  readonly baseline_runs: number;
  readonly current_runs: number;
  readonly regressions: number;
  readonly improvements: number;
  readonly rows: readonly RegressionRow[];
  /** Why the two sides may not be comparable (different agents, messages, clock, chaos or mix). */
  readonly warnings: readonly string[];
}

const mean = (values: readonly number[]): number | null =>
  values.length === 0 ? null : values.reduce((sum, value) => sum + value, 0) / values.length;

const CONFIG_FIELDS = ['agents', 'messages_per_agent', 'clock', 'chaos', 'mix'] as const;

function configWarnings(baseline: readonly MetricsReport[], current: readonly MetricsReport[]): string[] {
  const warnings: string[] = [];
  const show = (value: JsonValue | undefined): string => JSON.stringify(value ?? null);
  for (const field of CONFIG_FIELDS) {
    const values = new Set([...baseline, ...current].map((report) => show(report.run[field] as JsonValue)));
    if (values.size > 1) {
      warnings.push(
        `The runs differ in run.${field} (${[...values].join(' vs ')}): the comparison may not be like for like.`,
      );
    }
  }
  return warnings;
}

function judge(
  better: MetricDirection,
  strict: boolean,
  base: readonly number[],
  now: readonly number[],
  options: { tolerance: number; alpha: number },
): Omit<RegressionRow, 'metric' | 'label' | 'better'> {
  const baseMean = mean(base);
  const nowMean = mean(now);
  const values = { baseline: { mean: baseMean, values: base }, current: { mean: nowMean, values: now } };
  if (baseMean === null || nowMean === null)
    return { ...values, change: null, p_value: null, verdict: 'missing' };
  const delta = nowMean - baseMean;
  const change = baseMean === 0 ? null : delta / Math.abs(baseMean);
  const worse = better === 'higher' ? delta < 0 : delta > 0;
  const relative =
    baseMean === 0 ? (delta === 0 ? 0 : Number.POSITIVE_INFINITY) : Math.abs(delta) / Math.abs(baseMean);
  const beyond = strict ? delta !== 0 : relative > options.tolerance;
  const worseIs = better === 'higher' ? 'less' : 'greater';
  const pWorse = worsePValue(base, now, worseIs);
  const p =
    pWorse === null ? null : worse ? pWorse : worsePValue(base, now, worseIs === 'less' ? 'greater' : 'less');
  if (!beyond) return { ...values, change, p_value: p, verdict: 'ok' };
  // Invariant counters are judged without a significance test: one lost message is one too many.
  if (!strict && p !== null && p > options.alpha) return { ...values, change, p_value: p, verdict: 'noise' };
  return { ...values, change, p_value: p, verdict: worse ? 'regression' : 'improvement' };
}

/**
 * Compares metrics reports (one or more runs per side) metric by metric: a worse value beyond the relative
 * tolerance is a regression; with two or more runs on both sides it must also be significant (one-sided
 * permutation test, p ≤ alpha), else it is reported as noise. Invariant counters regress on any increase.
 * @example
 * const report = compareMetricsRuns([baseline], [current], { tolerance: 0.1 });
 * if (!report.ok) console.log(formatRegressionMarkdown(report));
 */
export function compareMetricsRuns(
  baseline: readonly MetricsReport[],
  current: readonly MetricsReport[],
  options: RegressionOptions = {},
): RegressionReport {
  const tolerance = options.tolerance ?? 0.1;
  const alpha = options.alpha ?? 0.05;
  if (typeof tolerance !== 'number' || !(tolerance >= 0 && tolerance <= 10)) {
    throw invalidOption('tolerance', 'a fraction from 0 to 10 (0.1 = 10 %)', tolerance);
  }
  if (typeof alpha !== 'number' || !(alpha > 0 && alpha < 1))
    throw invalidOption('alpha', 'a level between 0 and 1', alpha);
  if (baseline.length === 0) throw invalidOption('baseline', 'at least one metrics report', baseline);
  if (current.length === 0) throw invalidOption('current', 'at least one metrics report', current);
  const rows: RegressionRow[] = COMPARED_METRICS.map((metric) => ({
    metric: metric.path,
    label: metric.label,
    better: metric.better,
    ...judge(
      metric.better,
      metric.strict === true,
      metricValues(baseline, metric.path),
      metricValues(current, metric.path),
      {
        tolerance,
        alpha,
      },
    ),
  }));
  const regressions = rows.filter((row) => row.verdict === 'regression').length;
  return {
    schema_version: 1,
    ok: regressions === 0,
    tolerance,
    alpha,
    baseline_runs: baseline.length,
    current_runs: current.length,
    regressions,
    improvements: rows.filter((row) => row.verdict === 'improvement').length,
    rows,
    warnings: configWarnings(baseline, current),
  };
}
