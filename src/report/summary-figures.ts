import type { LatencyStats } from '../engine/metrics/latency-stats.ts';
import type { MetricsSummary } from '../engine/metrics/metrics-report.ts';
import { summarizeSnapshot } from '../engine/metrics/summarize-snapshot.ts';
import type { StressTestRecord } from './run-metrics-file.ts';

/** A test's verdict in summaries: skipped, or pass only when its body, thresholds, invariants and isolation all passed. */
export type TestVerdict = 'PASS' | 'FAIL' | 'SKIP';

/** Judges one test for the summaries. */
export function testVerdict(test: StressTestRecord): TestVerdict {
  if (test.state === 'skipped' || test.state === 'pending') return 'SKIP';
  const ok =
    test.state === 'passed' &&
    test.thresholds.every((verdict) => verdict.ok) &&
    (test.invariants === null || test.invariants.valid) &&
    test.isolation.violations.length === 0;
  return ok ? 'PASS' : 'FAIL';
}

/** The latency percentiles the summaries and the chart show, in order. */
export const PERCENTILES: readonly { readonly label: string; readonly key: keyof LatencyStats }[] = [
  { label: 'p50', key: 'p50_ms' },
  { label: 'p90', key: 'p90_ms' },
  { label: 'p95', key: 'p95_ms' },
  { label: 'p99', key: 'p99_ms' },
  { label: 'p99.9', key: 'p999_ms' },
  { label: 'max', key: 'max_ms' },
];

const DASH = '–';

/** Formats a count with thousands separators: `18,900`. */
export function formatCount(value: number | null | undefined): string {
  return value == null ? DASH : Math.round(value).toLocaleString('en-US');
}

/** Formats a 0..1 rate as a percentage with two decimals: `99.50%`. */
export function formatRate(value: number | null | undefined): string {
  return value == null ? DASH : `${(value * 100).toFixed(2)}%`;
}

/** Formats milliseconds with up to two decimals: `4.82`. */
export function formatMs(value: number | null | undefined): string {
  if (value == null) return DASH;
  return value >= 1000 ? Math.round(value).toLocaleString('en-US') : String(Math.round(value * 100) / 100);
}

/** Formats a throughput per second with one decimal: `225.1`. */
export function formatThroughput(value: number | null | undefined): string {
  return value == null ? DASH : (Math.round(value * 10) / 10).toLocaleString('en-US');
}

/** Units refused at enqueue, and the share a running target refused on its own when any were: `12 (1.3%)`. */
export function formatRefused(rejected: number | null | undefined, rate: number | null | undefined): string {
  if (rejected == null) return DASH;
  // The share shows only when a running target refused work: refusals the chaos caused (a crash) are not its own.
  return !rate ? formatCount(rejected) : `${formatCount(rejected)} (${formatRate(rate)})`;
}

/** The row figures of one test, as strings, shared by the terminal and Markdown summaries. */
export interface TestRow {
  readonly units: string;
  readonly success: string;
  /** Units refused at enqueue, with the share a running target refused when there were any: `12 (1.3%)`. */
  readonly refused: string;
  readonly p50: string;
  readonly p95: string;
  readonly p99: string;
  readonly throughput: string;
  readonly lost: string;
  readonly duplicated: string;
  readonly verdict: TestVerdict;
}

/**
 * The figures that stand for a whole test: its one run's metrics, or for several runs (a chaos property's
 * cases, a test calling `stress.run()` more than once) the merged snapshot, so rows add up to the totals.
 */
export function testFigures(test: StressTestRecord): MetricsSummary | null {
  if (test.runs > 1 && test.snapshot !== null) return summarizeSnapshot(test.snapshot);
  return test.metrics;
}

/** Units lost and duplicated over every run of a test (the totals add these). */
export function testLosses(test: StressTestRecord): { lost: number | null; duplicated: number | null } {
  const counts = test.all_runs ?? test.invariants ?? test.metrics?.invariants;
  return { lost: counts?.lost ?? null, duplicated: counts?.duplicated ?? null };
}

/**
 * A chaos property in one line: how many of the cases asked ran and passed, or which case failed and what it
 * shrank to. Null for a plain test.
 */
export function describeProperty(test: StressTestRecord): string | null {
  const p = test.property;
  if (p === undefined) return null;
  const cut = p.interrupted ? ` (the ${formatCount(p.time_limit_ms)} ms time limit cut it short)` : '';
  if (p.shrunk_case !== null) {
    const steps = `${p.shrinks} step${p.shrinks === 1 ? '' : 's'}`;
    return `case ${p.cases_run} of ${p.cases_asked} failed; shrunk in ${steps}${cut} to ${p.shrunk_case.workload}; chaos: ${p.shrunk_case.chaos}`;
  }
  const ran = p.cases_run === p.cases_asked ? `${p.cases_run}` : `${p.cases_run} of ${p.cases_asked}`;
  return `${ran} case${p.cases_run === 1 ? '' : 's'} passed${p.cases_run < p.cases_asked ? cut : ''}`;
}

/** Extracts a test's row figures; a test without a run shows dashes. */
export function testRow(test: StressTestRecord): TestRow {
  const m = testFigures(test);
  const invariants = testLosses(test);
  return {
    units: formatCount(m?.total_processed),
    success: formatRate(m?.success_rate),
    refused: formatRefused(m?.rejected, m?.rejected_rate),
    p50: formatMs(m?.latency_stats.p50_ms),
    p95: formatMs(m?.latency_stats.p95_ms),
    p99: formatMs(m?.latency_stats.p99_ms),
    throughput: formatThroughput(m?.throughput),
    lost: formatCount(invariants?.lost),
    duplicated: formatCount(invariants?.duplicated),
    verdict: testVerdict(test),
  };
}
