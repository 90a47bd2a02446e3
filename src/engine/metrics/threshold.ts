import { describeValue, StressError } from '../../protocol/index.ts';
import { listMetricPaths, lookupMetric, suggestMetricPaths } from './metric-path.ts';
import { compareThreshold, parseThreshold, type ThresholdExpression } from './threshold-expression.ts';

/**
 * Pass/fail criteria keyed by a dotted metric path of the metrics report, k6-style; several expressions for
 * one metric must all hold.
 * @example
 * const thresholds: ThresholdSpec = {
 *   success_rate: '>= 0.99',
 *   'latency_stats.p95_ms': ['< 50', '> 0'],
 *   'invariants.lost': '== 0',
 * };
 */
export type ThresholdSpec = Readonly<Record<string, string | readonly string[]>>;

/**
 * Thresholds every run has unless the user sets the same metric: a run that refused more than 5 % of its workload
 * at enqueue (backpressure, a closed queue) did not test what it was asked to, so it fails by default. Relax it
 * with `thresholds: { rejected_rate: '<= 1' }` for a test that means to overload the target.
 */
export const DEFAULT_THRESHOLDS: ThresholdSpec & { readonly rejected_rate: string } = {
  rejected_rate: '<= 0.05',
};

/** One threshold, parsed. */
export interface Threshold {
  readonly metric: string;
  readonly expression: ThresholdExpression;
}

/** The outcome of one threshold, JSON-plain; `reason` says why it failed. */
export interface ThresholdVerdict {
  readonly metric: string;
  readonly expression: string;
  readonly ok: boolean;
  /** The measured value, or `null` when the metric is missing, not a number or has no samples. */
  readonly value: number | null;
  readonly reason?: string;
}

/** Validates and parses a {@link ThresholdSpec}; throws `ERR_INVALID_THRESHOLD` on the first bad entry. */
export function parseThresholds(spec: ThresholdSpec): Threshold[] {
  if (typeof spec !== 'object' || spec === null || Array.isArray(spec)) {
    throw new StressError(
      'ERR_INVALID_THRESHOLD',
      `Expected \`thresholds\` to be an object such as { success_rate: '>= 0.99' }, got ${describeValue(spec)}.`,
    );
  }
  const thresholds: Threshold[] = [];
  for (const [metric, expressions] of Object.entries(spec)) {
    const list: readonly unknown[] = Array.isArray(expressions) ? expressions : [expressions];
    if (list.length === 0) {
      throw new StressError(
        'ERR_INVALID_THRESHOLD',
        `Expected threshold for \`${metric}\` to be an expression or a non-empty array of them, got an empty array.`,
      );
    }
    for (const text of list) thresholds.push({ metric, expression: parseThreshold(text, metric) });
  }
  return thresholds;
}

/** The report's top-level numbers, and its groups as `group.*`. */
function overview(report: object): string {
  const names = Object.entries(report)
    .filter(([key]) => key !== 'schema_version')
    .flatMap(([key, value]) => {
      const paths = listMetricPaths({ [key]: value });
      if (paths.length === 0) return [];
      return typeof value === 'number' || value === null ? [`"${key}"`] : [`"${key}.*"`];
    });
  return names.join(', ');
}

/** How {@link evaluateThresholds} treats a metric that exists but has no samples (`null`) in this run. */
export type ThresholdsWithoutSamples = 'fail' | 'skip';

function judge(
  report: object,
  { metric, expression }: Threshold,
  known: () => string[],
  withoutSamples: ThresholdsWithoutSamples,
): ThresholdVerdict {
  const base = { metric, expression: expression.source };
  const lookup = lookupMetric(report, metric);
  if (!lookup.found) {
    const close = suggestMetricPaths(metric, known());
    const hint =
      close.length > 0
        ? `Did you mean ${close.map((path) => `"${path}"`).join(', ')}?`
        : `Valid metrics include ${overview(report)}.`;
    return {
      ...base,
      ok: false,
      value: null,
      reason: `Unknown metric "${metric}" in the metrics report. ${hint}`,
    };
  }
  const { value } = lookup;
  // A default threshold is about the run it can measure: with nothing to measure there is nothing to fail.
  const isDefault = DEFAULT_THRESHOLDS[metric] === expression.source;
  if (value === null && (withoutSamples === 'skip' || isDefault)) {
    return {
      ...base,
      ok: true,
      value: null,
      reason: `Metric "${metric}" has no samples (null) in this run: not judged.`,
    };
  }
  if (value === null) {
    return {
      ...base,
      ok: false,
      value: null,
      reason: `Metric "${metric}" has no samples (null), so it cannot pass.`,
    };
  }
  if (typeof value !== 'number') {
    const inside = listMetricPaths(value, metric).slice(0, 12);
    const hint = inside.length > 0 ? ` Use one of ${inside.map((path) => `"${path}"`).join(', ')}.` : '';
    const kind = Array.isArray(value)
      ? 'an array'
      : typeof value === 'object'
        ? 'an object'
        : `a ${typeof value}`;
    return { ...base, ok: false, value: null, reason: `Metric "${metric}" is ${kind}, not a number.${hint}` };
  }
  if (!Number.isFinite(value)) {
    return {
      ...base,
      ok: false,
      value: null,
      reason: `Metric "${metric}" is ${value}, not a finite number.`,
    };
  }
  if (compareThreshold(value, expression)) return { ...base, ok: true, value };
  return { ...base, ok: false, value, reason: `Measured ${value}, expected ${expression.source}.` };
}

/**
 * Evaluates thresholds against a metrics report. A metric that does not exist, is not a number or has no
 * samples fails with a reason (never a vacuous pass, k6 #4283); malformed expressions throw
 * `ERR_INVALID_THRESHOLD`.
 */
export function evaluateThresholds(
  report: object,
  thresholds: ThresholdSpec | readonly Threshold[],
  withoutSamples: ThresholdsWithoutSamples = 'fail',
): ThresholdVerdict[] {
  const parsed = Array.isArray(thresholds)
    ? (thresholds as readonly Threshold[])
    : parseThresholds(thresholds as ThresholdSpec);
  let paths: string[] | undefined;
  const known = (): string[] => {
    paths ??= listMetricPaths(report);
    return paths;
  };
  return parsed.map((threshold) => judge(report, threshold, known, withoutSamples));
}
