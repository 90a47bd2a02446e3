import { describeValue, StressError } from '../../protocol/index.ts';
import { DELIVERY_OUTCOMES } from '../mock-core/delivery-sink.ts';
import type { EncodedHistogram } from './latency-histogram.ts';

/** The version of {@link MetricsSnapshot}; a snapshot of another version cannot be merged. */
export const METRICS_SNAPSHOT_VERSION = 1;

/** Calls to the core by how they ended (see `DeliveryOutcome`). */
export interface AttemptCounts {
  readonly delivered: number;
  readonly failed: number;
  readonly threw: number;
  readonly hung: number;
  readonly refused: number;
  readonly delivered_reported_failed: number;
}

/** Where delivery units ended, from the ledger's `InvariantReport` (which satisfies this type). */
export interface UnitTotals {
  /** Units the workload offered (messages × recipients). */
  readonly sent: number;
  /** Units the target refused at enqueue (backpressure or a closed queue): never accepted, not lost. */
  readonly rejected: number;
  /** Of the rejected, those the chaos caused: refused while the engine held the target crashed, or by an injected store fault. */
  readonly rejected_by_chaos: number;
  readonly delivered: number;
  readonly dead_lettered: number;
  readonly lost: number;
}

/** Queue-depth samples, kept as sums so snapshots merge exactly. */
export interface QueueDepthTotals {
  readonly samples: number;
  readonly max: number;
  /** Sum of the sampled depths (for the plain mean). */
  readonly sum: number;
  /** Sum of depth x milliseconds it held until the next sample (for the time-weighted mean). */
  readonly weighted_sum: number;
  /** Milliseconds covered by `weighted_sum`. */
  readonly span_ms: number;
}

/**
 * Everything a {@link MetricsCollector} measured, JSON-plain and mergeable: counters and encoded histograms,
 * no derived figure (those are computed by `summarizeSnapshot`). Latency runs from a message's intended send
 * time (`createdAt`) to the end of the first delivery that reached the recipient; service time is every call
 * to the core, start to end. Times are on the run's clock.
 */
export interface MetricsSnapshot {
  readonly schema_version: typeof METRICS_SNAPSHOT_VERSION;
  /** Simulated duration in milliseconds; merged snapshots add durations (tests run one after another). */
  readonly duration_ms: number;
  readonly units: UnitTotals;
  readonly attempts: AttemptCounts;
  /** Reaching deliveries beyond each unit's first. */
  readonly duplicate_deliveries: number;
  readonly retries: number;
  /** Injected faults by kind. */
  readonly chaos: Readonly<Record<string, number>>;
  readonly queue_depth: QueueDepthTotals;
  /** Units delivered, by recipient agent. */
  readonly by_agent: Readonly<Record<string, number>>;
  /** Units delivered, by message type (lower-case protocol names). */
  readonly by_type: Readonly<Record<string, number>>;
  readonly latency: EncodedHistogram;
  readonly latency_by_agent: Readonly<Record<string, EncodedHistogram>>;
  readonly latency_by_type: Readonly<Record<string, EncodedHistogram>>;
  readonly service_time: EncodedHistogram;
}

const COUNTER_GROUPS = {
  units: ['sent', 'rejected', 'rejected_by_chaos', 'delivered', 'dead_lettered', 'lost'],
  attempts: DELIVERY_OUTCOMES,
  queue_depth: ['samples', 'max', 'sum', 'weighted_sum', 'span_ms'],
} as const;

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const isAmount = (value: unknown): value is number =>
  typeof value === 'number' && Number.isFinite(value) && value >= 0;

/** Throws `ERR_INVALID_SNAPSHOT` naming the first field of `value` that a {@link MetricsSnapshot} cannot have. */
export function assertMetricsSnapshot(value: unknown, name = 'snapshot'): asserts value is MetricsSnapshot {
  const fail = (field: string, expected: string, received: unknown): never => {
    throw new StressError(
      'ERR_INVALID_SNAPSHOT',
      `Expected \`${name}${field}\` to be ${expected}, got ${describeValue(received)}.`,
      { details: { field: `${name}${field}` } },
    );
  };
  if (!isObject(value)) return fail('', 'a metrics snapshot object', value);
  if (value.schema_version !== METRICS_SNAPSHOT_VERSION) {
    fail(
      '.schema_version',
      `${METRICS_SNAPSHOT_VERSION} (this version of vitest-stress)`,
      value.schema_version,
    );
  }
  for (const field of ['duration_ms', 'duplicate_deliveries', 'retries'] as const) {
    if (!isAmount(value[field])) fail(`.${field}`, 'a number >= 0', value[field]);
  }
  for (const [group, fields] of Object.entries(COUNTER_GROUPS)) {
    const counters = value[group];
    if (!isObject(counters)) fail(`.${group}`, 'an object', counters);
    for (const field of fields) {
      const counter = (counters as Record<string, unknown>)[field];
      if (!isAmount(counter)) fail(`.${group}.${field}`, 'a number >= 0', counter);
    }
  }
  for (const group of ['chaos', 'by_agent', 'by_type'] as const) {
    const counters = value[group];
    if (!isObject(counters)) fail(`.${group}`, 'an object of counts', counters);
    for (const [key, counter] of Object.entries(counters as object)) {
      if (!isAmount(counter)) fail(`.${group}.${key}`, 'a number >= 0', counter);
    }
  }
  for (const field of ['latency', 'service_time'] as const) {
    if (!isObject(value[field])) fail(`.${field}`, 'an encoded histogram', value[field]);
  }
  for (const group of ['latency_by_agent', 'latency_by_type'] as const) {
    if (!isObject(value[group])) fail(`.${group}`, 'an object of encoded histograms', value[group]);
  }
}
