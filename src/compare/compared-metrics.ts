import { lookupMetric, type MetricsReport } from '../engine/index.ts';

/** Which way a metric is better. */
export type MetricDirection = 'higher' | 'lower';

/** A metric the regression check compares. */
export interface ComparedMetric {
  /** Dotted path in the metrics report. */
  readonly path: string;
  readonly label: string;
  readonly better: MetricDirection;
  /** Invariant counters: any worsening is a regression, whatever the tolerance. */
  readonly strict?: boolean;
}

/** The metrics `vitest-stress compare` checks, in table order. */
export const COMPARED_METRICS: readonly ComparedMetric[] = [
  { path: 'throughput', label: 'Throughput (units/s)', better: 'higher' },
  { path: 'success_rate', label: 'Success rate', better: 'higher' },
  { path: 'latency_stats.avg_ms', label: 'Latency avg (ms)', better: 'lower' },
  { path: 'latency_stats.p50_ms', label: 'Latency p50 (ms)', better: 'lower' },
  { path: 'latency_stats.p95_ms', label: 'Latency p95 (ms)', better: 'lower' },
  { path: 'latency_stats.p99_ms', label: 'Latency p99 (ms)', better: 'lower' },
  { path: 'service_time_stats.p95_ms', label: 'Service time p95 (ms)', better: 'lower' },
  { path: 'retries', label: 'Retries', better: 'lower' },
  { path: 'dead_lettered', label: 'Dead-lettered units', better: 'lower' },
  { path: 'duplicate_deliveries', label: 'Duplicate deliveries', better: 'lower' },
  { path: 'invariants.lost', label: 'Lost units', better: 'lower', strict: true },
  { path: 'invariants.order_violations', label: 'Order violations', better: 'lower', strict: true },
  { path: 'invariants.priority_inversions', label: 'Priority inversions', better: 'lower', strict: true },
];

/** The metric's value in each report that has a number there (reports without one are left out). */
export function metricValues(reports: readonly MetricsReport[], path: string): number[] {
  const values: number[] = [];
  for (const report of reports) {
    const lookup = lookupMetric(report, path);
    if (lookup.found && typeof lookup.value === 'number' && Number.isFinite(lookup.value))
      values.push(lookup.value);
  }
  return values;
}
