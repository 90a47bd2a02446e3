import { invalidOption } from '../../protocol/index.ts';
import { LatencyHistogram } from './latency-histogram.ts';
import {
  emptyIntervalLatency,
  RUN_TIMELINE_VERSION,
  type RunTimeline,
  type TimelineChaosEvent,
  type TimelineFinding,
  type TimelineInterval,
} from './run-timeline.ts';

/** Options of {@link TimelineRecorder}. */
export interface TimelineRecorderOptions {
  /** The most intervals kept; past them the width doubles, so memory never grows with run length. @default 60 */
  readonly intervals?: number;
  /** Planned duration of the run in ms: the first width is the smallest power of two that fits it. @default 1000 */
  readonly plannedMs?: number;
}

// sent, delivered, failed, retried, dead_lettered, rejected, duplicates, depth_samples, depth_sum, depth_min, depth_max
const SENT = 0;
const DELIVERED = 1;
const FAILED = 2;
const RETRIED = 3;
const DEAD = 4;
const REJECTED = 5;
const DUPLICATES = 6;
const SAMPLES = 7;
const DEPTH_SUM = 8;
const DEPTH_MIN = 9;
const DEPTH_MAX = 10;
const FIELDS = 11;

/**
 * Records a run's {@link RunTimeline} as it happens: a fixed number of counter rows, one latency histogram and
 * one sparse per-agent failure map per interval. Recording is an index computation and a few array writes.
 */
export class TimelineRecorder {
  readonly maxIntervals: number;
  private width: number;
  // Row-major: interval i's counters live at [i * FIELDS, (i + 1) * FIELDS).
  private readonly rows: Float64Array;
  private readonly latency: (LatencyHistogram | undefined)[];
  private readonly failures: (Map<string, number> | undefined)[];
  private used = 0;
  private readonly chaos: TimelineChaosEvent[] = [];
  private readonly found: TimelineFinding[] = [];

  constructor(options: TimelineRecorderOptions = {}) {
    const { intervals = 60, plannedMs = 1000 } = options;
    if (!Number.isInteger(intervals) || intervals < 2 || intervals > 10_000) {
      throw invalidOption('timeline.intervals', 'an integer from 2 to 10000', intervals);
    }
    if (typeof plannedMs !== 'number' || !(plannedMs >= 0) || !Number.isFinite(plannedMs)) {
      throw invalidOption('timeline.plannedMs', 'a finite number of ms >= 0', plannedMs);
    }
    this.maxIntervals = intervals;
    this.width = 2 ** Math.max(-10, Math.ceil(Math.log2(Math.max(plannedMs, 2 ** -10) / intervals)));
    this.rows = new Float64Array(intervals * FIELDS);
    this.latency = new Array(intervals).fill(undefined);
    this.failures = new Array(intervals).fill(undefined);
  }

  /** Current interval width in ms (a power of two). */
  get widthMs(): number {
    return this.width;
  }

  /** An enqueue call at `at` of a message for `units` recipients. */
  sent(at: number, units = 1): void {
    this.rows[this.index(at) * FIELDS + SENT]! += units;
  }

  /** A refused enqueue call at `at` of a message for `units` recipients. */
  rejected(at: number, units = 1): void {
    this.rows[this.index(at) * FIELDS + REJECTED]! += units;
  }

  /** A retry the target scheduled at `at`. */
  retried(at: number): void {
    this.rows[this.index(at) * FIELDS + RETRIED]!++;
  }

  /** `units` units dead-lettered at `at`. */
  deadLettered(at: number, units: number): void {
    this.rows[this.index(at) * FIELDS + DEAD]! += units;
  }

  /** A first delivery ending at `at` with `latencyUs` from intended send time. */
  delivered(at: number, latencyUs: number): void {
    const i = this.index(at);
    this.rows[i * FIELDS + DELIVERED]!++;
    let histogram = this.latency[i];
    if (histogram === undefined) {
      histogram = new LatencyHistogram({ significantDigits: 2 });
      this.latency[i] = histogram;
    }
    histogram.record(latencyUs);
  }

  /** A reaching delivery beyond the unit's first, ending at `at`. */
  duplicate(at: number): void {
    this.rows[this.index(at) * FIELDS + DUPLICATES]!++;
  }

  /** A call to the core for `agent` that ended at `at` without delivering. */
  failed(at: number, agent: string): void {
    const i = this.index(at);
    this.rows[i * FIELDS + FAILED]!++;
    let byAgent = this.failures[i];
    if (byAgent === undefined) {
      byAgent = new Map();
      this.failures[i] = byAgent;
    }
    byAgent.set(agent, (byAgent.get(agent) ?? 0) + 1);
  }

  /** A queue depth sample at `at`. */
  depth(depth: number, at: number): void {
    const base = this.index(at) * FIELDS;
    const rows = this.rows;
    if (rows[base + SAMPLES] === 0 || depth < rows[base + DEPTH_MIN]!) rows[base + DEPTH_MIN] = depth;
    if (depth > rows[base + DEPTH_MAX]!) rows[base + DEPTH_MAX] = depth;
    rows[base + SAMPLES]!++;
    rows[base + DEPTH_SUM]! += depth;
  }

  /** A chaos event from `startMs` to `endMs` (equal for an instantaneous one). */
  chaosEvent(kind: string, startMs: number, endMs: number, agent?: string): void {
    this.chaos.push({
      kind,
      start_ms: startMs,
      end_ms: Math.max(startMs, endMs),
      ...(agent ? { agent } : {}),
    });
  }

  /** A ledger finding placed in time. */
  finding(kind: TimelineFinding['kind'], unit: string, atMs: number): void {
    this.found.push({ kind, unit, at_ms: atMs });
  }

  /** The timeline so far, JSON-plain. */
  snapshot(): RunTimeline {
    const intervals: TimelineInterval[] = [];
    for (let i = 0; i < this.used; i++) {
      const base = i * FIELDS;
      const r = this.rows;
      const failures = this.failures[i];
      intervals.push({
        sent: r[base + SENT]!,
        delivered: r[base + DELIVERED]!,
        failed: r[base + FAILED]!,
        retried: r[base + RETRIED]!,
        dead_lettered: r[base + DEAD]!,
        rejected: r[base + REJECTED]!,
        duplicates: r[base + DUPLICATES]!,
        depth_samples: r[base + SAMPLES]!,
        depth_min: r[base + DEPTH_MIN]!,
        depth_max: r[base + DEPTH_MAX]!,
        depth_sum: r[base + DEPTH_SUM]!,
        latency: this.latency[i]?.encode() ?? emptyIntervalLatency(),
        failed_by_agent:
          failures === undefined
            ? {}
            : Object.fromEntries([...failures.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))),
      });
    }
    const byStart = (a: TimelineChaosEvent, b: TimelineChaosEvent): number => a.start_ms - b.start_ms;
    return {
      version: RUN_TIMELINE_VERSION,
      width_ms: this.width,
      max_intervals: this.maxIntervals,
      intervals,
      chaos_events: [...this.chaos].sort(byStart),
      findings: [...this.found].sort((a, b) => a.at_ms - b.at_ms),
    };
  }

  private index(at: number): number {
    let i = at > 0 ? Math.floor(at / this.width) : 0;
    while (i >= this.maxIntervals) {
      this.double();
      i = Math.floor(at / this.width);
    }
    if (i >= this.used) this.used = i + 1;
    return i;
  }

  // Folds interval pairs (2i, 2i + 1) into i, exactly, so the interval count stays bounded.
  private double(): void {
    const rows = this.rows;
    const half = Math.ceil(this.used / 2);
    for (let i = 0; i < half; i++) {
      const a = 2 * i * FIELDS;
      const b = a + FIELDS;
      const to = i * FIELDS;
      const hasB = 2 * i + 1 < this.used;
      const samplesA = rows[a + SAMPLES]!;
      const samplesB = hasB ? rows[b + SAMPLES]! : 0;
      const min =
        samplesA > 0 && samplesB > 0
          ? Math.min(rows[a + DEPTH_MIN]!, rows[b + DEPTH_MIN]!)
          : samplesA > 0
            ? rows[a + DEPTH_MIN]!
            : hasB
              ? rows[b + DEPTH_MIN]!
              : 0;
      const max = Math.max(rows[a + DEPTH_MAX]!, hasB ? rows[b + DEPTH_MAX]! : 0);
      for (let f = 0; f < DEPTH_MIN; f++) rows[to + f] = rows[a + f]! + (hasB ? rows[b + f]! : 0);
      rows[to + DEPTH_MIN] = min;
      rows[to + DEPTH_MAX] = max;
      this.latency[i] = mergeOptional(this.latency[2 * i], hasB ? this.latency[2 * i + 1] : undefined);
      this.failures[i] = mergeFailures(this.failures[2 * i], hasB ? this.failures[2 * i + 1] : undefined);
    }
    rows.fill(0, half * FIELDS);
    this.latency.fill(undefined, half);
    this.failures.fill(undefined, half);
    this.used = half;
    this.width *= 2;
  }
}

function mergeOptional(
  a: LatencyHistogram | undefined,
  b: LatencyHistogram | undefined,
): LatencyHistogram | undefined {
  if (a === undefined) return b;
  if (b !== undefined) a.add(b);
  return a;
}

function mergeFailures(
  a: Map<string, number> | undefined,
  b: Map<string, number> | undefined,
): Map<string, number> | undefined {
  if (a === undefined) return b;
  if (b !== undefined) for (const [agent, count] of b) a.set(agent, (a.get(agent) ?? 0) + count);
  return a;
}
