import type { LatencyStats } from '../../engine/latency-stats.ts';
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

/** Extracts a test's row figures; a test without a run shows dashes. */
export function testRow(test: StressTestRecord): TestRow {
  const m = test.metrics;
  const invariants = test.invariants ?? m?.invariants;
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
