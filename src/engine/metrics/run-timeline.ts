import { StressError } from '../../protocol/index.ts';
import { type EncodedHistogram, LatencyHistogram } from './latency-histogram.ts';

/** The version of {@link RunTimeline}; timelines of another version cannot be merged. */
export const RUN_TIMELINE_VERSION = 1;

/** What happened during one interval of the run clock, `[index × width_ms, (index + 1) × width_ms)`. */
export interface TimelineInterval {
  /** Delivery units sent (a broadcast counts once per recipient). */
  readonly sent: number;
  /** Units delivered for the first time (the latency histogram holds one value for each). */
  readonly delivered: number;
  /** Calls to the core that did not deliver (every outcome but `delivered`). */
  readonly failed: number;
  readonly retried: number;
  /** Units the target gave up on. */
  readonly dead_lettered: number;
  /** Delivery units whose enqueue the target refused. */
  readonly rejected: number;
  /** Reaching deliveries beyond a unit's first. */
  readonly duplicates: number;
  /** Queue depth (pending + processing) samples taken in the interval; min and max are 0 without samples. */
  readonly depth_samples: number;
  readonly depth_min: number;
  readonly depth_max: number;
  readonly depth_sum: number;
  /** Latency of the units first delivered in the interval (by delivery end), HDR-encoded and mergeable. */
  readonly latency: EncodedHistogram;
  /** Failed calls by recipient agent; agents without failures are left out. */
  readonly failed_by_agent: Readonly<Record<string, number>>;
}

/** A chaos event on the run clock; instantaneous events have `end_ms === start_ms`. */
export interface TimelineChaosEvent {
  readonly kind: string;
  readonly start_ms: number;
  readonly end_ms: number;
  readonly agent?: string;
}

/** A ledger finding placed in time: when a lost unit was accepted, when a stuck unit was last seen. */
export interface TimelineFinding {
  readonly kind: 'lost' | 'stuck';
  /** The unit, `message id→agent`. */
  readonly unit: string;
  readonly at_ms: number;
}

/**
 * A run as a story in time: fixed-width intervals of the run clock (a power-of-two number of ms, doubled when
 * the run outgrows `max_intervals` intervals, so the size never grows with run length), the chaos events and
 * the ledger's findings on the same clock. JSON-plain and mergeable with {@link mergeTimelines}.
 */
export interface RunTimeline {
  readonly version: typeof RUN_TIMELINE_VERSION;
  /** Width of every interval in ms; always a power of two, so timelines of any width align when merged. */
  readonly width_ms: number;
  /** The most intervals the timeline keeps before it doubles `width_ms`. */
  readonly max_intervals: number;
  /** Intervals from time 0, trailing empty ones dropped. */
  readonly intervals: readonly TimelineInterval[];
  readonly chaos_events: readonly TimelineChaosEvent[];
  readonly findings: readonly TimelineFinding[];
}

/** The counters of a timeline interval that add up over intervals (the schema lists them too). */
export const TIMELINE_COUNTERS = [
  'sent',
  'delivered',
  'failed',
  'retried',
  'dead_lettered',
  'rejected',
  'duplicates',
  'depth_samples',
  'depth_sum',
] as const;

/** The counters of a {@link TimelineInterval} that add up over intervals. */
export type TimelineCounter = (typeof TIMELINE_COUNTERS)[number];

/** Sums every counter over the intervals of `timeline` (what the run totals must equal). */
export function timelineTotals(timeline: RunTimeline): Record<TimelineCounter, number> {
  const totals = Object.fromEntries(TIMELINE_COUNTERS.map((name) => [name, 0])) as Record<
    TimelineCounter,
    number
  >;
  for (const interval of timeline.intervals)
    for (const name of TIMELINE_COUNTERS) totals[name] += interval[name];
  return totals;
}

/** Adds interval `b` to `a` (both decoded histograms), exactly. */
function addInterval(a: TimelineInterval, b: TimelineInterval): TimelineInterval {
  const counters = Object.fromEntries(TIMELINE_COUNTERS.map((name) => [name, a[name] + b[name]]));
  const latency = LatencyHistogram.decode(a.latency, 'latency');
  latency.add(LatencyHistogram.decode(b.latency, 'latency'));
  const failedByAgent: Record<string, number> = { ...a.failed_by_agent };
  for (const [agent, count] of Object.entries(b.failed_by_agent))
    failedByAgent[agent] = (failedByAgent[agent] ?? 0) + count;
  const both = a.depth_samples > 0 && b.depth_samples > 0;
  return {
    ...(counters as Record<TimelineCounter, number>),
    depth_min: both ? Math.min(a.depth_min, b.depth_min) : a.depth_samples > 0 ? a.depth_min : b.depth_min,
    depth_max: Math.max(a.depth_max, b.depth_max),
    latency: latency.encode(),
    failed_by_agent: sortKeys(failedByAgent),
  };
}

/** Re-buckets `intervals` of `width` into intervals of `target` width (a power-of-two multiple). */
function widen(intervals: readonly TimelineInterval[], width: number, target: number): TimelineInterval[] {
  const factor = target / width;
  const out: TimelineInterval[] = [];
  intervals.forEach((interval, i) => {
    const j = Math.floor(i / factor);
    out[j] = out[j] === undefined ? interval : addInterval(out[j], interval);
  });
  return fillGaps(out);
}

function fillGaps(intervals: TimelineInterval[]): TimelineInterval[] {
  for (let i = 0; i < intervals.length; i++) intervals[i] ??= emptyInterval();
  return intervals;
}

let emptyLatency: EncodedHistogram | undefined;

/**
 * The encoding of an interval histogram that recorded nothing: one frozen object, made once (a timeline of a
 * short run is mostly empty intervals, and each encoding costs a deflate).
 */
export function emptyIntervalLatency(): EncodedHistogram {
  emptyLatency ??= Object.freeze(new LatencyHistogram({ significantDigits: 2 }).encode());
  return emptyLatency;
}

/** An interval in which nothing happened. */
export function emptyInterval(): TimelineInterval {
  const counters = Object.fromEntries(TIMELINE_COUNTERS.map((name) => [name, 0]));
  return {
    ...(counters as Record<TimelineCounter, number>),
    depth_min: 0,
    depth_max: 0,
    latency: emptyIntervalLatency(),
    failed_by_agent: {},
  };
}

function sortKeys<T>(record: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

function byTime<T extends { readonly start_ms?: number; readonly at_ms?: number }>(a: T, b: T): number {
  return (a.start_ms ?? a.at_ms ?? 0) - (b.start_ms ?? b.at_ms ?? 0);
}

/**
 * Merges timelines of runs (or shards) that ran side by side on the same clock, exactly: the result has the
 * widest width (doubled further while it would exceed the largest `max_intervals`), interval counters and
 * histograms add up, chaos events and findings are listed together in time order.
 */
export function mergeTimelines(...timelines: readonly RunTimeline[]): RunTimeline {
  if (timelines.length === 0) {
    throw new StressError('ERR_INVALID_SNAPSHOT', 'Expected at least one timeline to merge, got none.');
  }
  for (const [i, timeline] of timelines.entries()) {
    if (timeline?.version !== RUN_TIMELINE_VERSION || !(Math.log2(timeline.width_ms) % 1 === 0)) {
      throw new StressError(
        'ERR_INVALID_SNAPSHOT',
        `Expected \`timelines[${i}]\` to be a run timeline of version ${RUN_TIMELINE_VERSION} with a power-of-two width_ms, got version ${String(timeline?.version)} and width_ms ${String(timeline?.width_ms)}.`,
      );
    }
  }
  const maxIntervals = Math.max(...timelines.map((t) => t.max_intervals));
  let width = Math.max(...timelines.map((t) => t.width_ms));
  const span = Math.max(...timelines.map((t) => t.intervals.length * t.width_ms));
  while (span > width * maxIntervals) width *= 2;
  const merged: TimelineInterval[] = [];
  for (const timeline of timelines) {
    widen(timeline.intervals, timeline.width_ms, width).forEach((interval, i) => {
      merged[i] = merged[i] === undefined ? interval : addInterval(merged[i], interval);
    });
  }
  return {
    version: RUN_TIMELINE_VERSION,
    width_ms: width,
    max_intervals: maxIntervals,
    intervals: fillGaps(merged),
    chaos_events: timelines.flatMap((t) => t.chaos_events).sort(byTime),
    findings: timelines.flatMap((t) => t.findings).sort(byTime),
  };
}
