import type { LatencyHistogram } from './latency-histogram.ts';

/**
 * Latency figures of one histogram, in milliseconds: the seed report's `min_ms`, `max_ms`, `avg_ms`, `p95_ms`
 * extended with more percentiles; every figure is `null` when nothing was recorded.
 */
export interface LatencyStats {
  readonly count: number;
  readonly min_ms: number | null;
  readonly max_ms: number | null;
  /** Exact mean (from the exact sum). */
  readonly avg_ms: number | null;
  readonly p50_ms: number | null;
  readonly p90_ms: number | null;
  readonly p95_ms: number | null;
  readonly p99_ms: number | null;
  readonly p999_ms: number | null;
  readonly stddev_ms: number | null;
}

const PERCENTILES = [50, 90, 95, 99, 99.9];

const us = (value: number | null): number | null => (value === null ? null : value / 1000);

/** Summarises a histogram into {@link LatencyStats}; min, max and mean are exact, percentiles within the histogram's precision (0.1 % at 3 digits). */
export function summarizeLatency(histogram: LatencyHistogram): LatencyStats {
  const [p50, p90, p95, p99, p999] = histogram.percentilesMs(PERCENTILES);
  return {
    count: histogram.count,
    min_ms: us(histogram.minUs),
    max_ms: us(histogram.maxUs),
    avg_ms: histogram.meanMs(),
    p50_ms: p50!,
    p90_ms: p90!,
    p95_ms: p95!,
    p99_ms: p99!,
    p999_ms: p999!,
    stddev_ms: histogram.stddevMs(),
  };
}
