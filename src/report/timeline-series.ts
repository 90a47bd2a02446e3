import { LatencyHistogram } from '../engine/metrics/latency-histogram.ts';
import type { RunTimeline, TimelineChaosEvent, TimelineFinding } from '../engine/metrics/run-timeline.ts';

/** A run timeline as plot-ready columns: one value per interval, times in seconds of the run clock. */
export interface TimelineSeries {
  /** Start of each interval, in seconds. */
  readonly t: readonly number[];
  readonly widthS: number;
  /** First deliveries per second. */
  readonly throughput: readonly number[];
  /** Failed core calls per second. */
  readonly failures: readonly number[];
  /** Latency percentiles in ms (null where nothing was delivered). */
  readonly p50: readonly (number | null)[];
  readonly p95: readonly (number | null)[];
  readonly p99: readonly (number | null)[];
  readonly depthMean: readonly (number | null)[];
  readonly depthMax: readonly (number | null)[];
  /** Agents with at least one failure, and their failures per interval. */
  readonly agents: readonly string[];
  readonly failuresByAgent: readonly (readonly number[])[];
  readonly chaos: readonly TimelineChaosEvent[];
  readonly findings: readonly TimelineFinding[];
}

const round = (value: number, digits = 3): number => Math.round(value * 10 ** digits) / 10 ** digits;

/** Turns a {@link RunTimeline} into columns for charts, sparklines and Mermaid; percentiles come from the HDR counts. */
export function timelineSeries(timeline: RunTimeline): TimelineSeries {
  const widthS = timeline.width_ms / 1000;
  const intervals = timeline.intervals;
  const agents = [...new Set(intervals.flatMap((i) => Object.keys(i.failed_by_agent)))].sort();
  const p50: (number | null)[] = [];
  const p95: (number | null)[] = [];
  const p99: (number | null)[] = [];
  for (const interval of intervals) {
    if (interval.latency.count === 0) {
      p50.push(null);
      p95.push(null);
      p99.push(null);
      continue;
    }
    const histogram = LatencyHistogram.decode(interval.latency, 'timeline.latency');
    const [at50, at95, at99] = histogram.percentilesMs([50, 95, 99]);
    p50.push(round(at50 ?? 0));
    p95.push(round(at95 ?? 0));
    p99.push(round(at99 ?? 0));
  }
  return {
    t: intervals.map((_, i) => round(i * widthS, 6)),
    widthS,
    throughput: intervals.map((i) => round(i.delivered / widthS, 1)),
    failures: intervals.map((i) => round(i.failed / widthS, 1)),
    p50,
    p95,
    p99,
    depthMean: intervals.map((i) => (i.depth_samples > 0 ? round(i.depth_sum / i.depth_samples, 1) : null)),
    depthMax: intervals.map((i) => (i.depth_samples > 0 ? i.depth_max : null)),
    agents,
    failuresByAgent: agents.map((agent) => intervals.map((i) => i.failed_by_agent[agent] ?? 0)),
    chaos: timeline.chaos_events,
    findings: timeline.findings,
  };
}
