import type { JsonObject } from '../../protocol/index.ts';
import type { QueueSubject } from './queue-subject.ts';

/** The checks of `validate queue`, in the order they run. */
export const QUEUE_CHECK_NAMES = [
  'capacity',
  'ordering',
  'priority',
  'concurrent_access',
  'memory_bounds',
  'throughput',
] as const;

/** One of {@link QUEUE_CHECK_NAMES}. */
export type QueueCheckName = (typeof QUEUE_CHECK_NAMES)[number];

/** What each check proves, for the table and `--help`. */
export const QUEUE_CHECK_DESCRIPTIONS: Readonly<Record<QueueCheckName, string>> = {
  capacity: 'rejects at the limit with ERR_QUEUE_FULL, loses nothing it accepted, frees room after acks',
  ordering: 'FIFO within a priority, checked message by message on first delivery',
  priority: 'no regular message starts delivery while an older urgent one waits',
  concurrent_access:
    'producers and two processors on one file store: nothing lost, duplicates only after a failed attempt',
  memory_bounds: 'heap retained after processing, and per live entry, stay within bounds',
  throughput: 'enqueue and processing rates stay above the floor',
};

/** The result of one check, JSON-plain. */
export interface QueueCheckResult {
  readonly name: QueueCheckName;
  readonly ok: boolean;
  /** One line of what was measured, for the table. */
  readonly summary: string;
  /** Why it failed, one sentence each (empty when ok). */
  readonly failures: readonly string[];
  /** The measured figures. */
  readonly measured: JsonObject;
  /** Wall time the check took, in ms. */
  readonly wall_time_ms: number;
}

/** Sizes and limits of the checks; see `resolveValidateQueueOptions` for the defaults. */
export interface QueueCheckLimits {
  readonly capacity: number;
  readonly messages: number;
  readonly producers: number;
  readonly memoryMessages: number;
  readonly maxRetainedBytesPer100k: number;
  readonly maxBytesPerEntry: number;
  readonly throughputMessages: number;
  readonly minThroughput: number;
  readonly throughputBudgetMs: number;
}

/** What every check receives. */
export interface QueueCheckContext {
  readonly subject: QueueSubject;
  readonly limits: QueueCheckLimits;
  /** Creates a fresh, empty temporary directory for a file store; deleted when validation ends. */
  readonly tempDirectory: () => Promise<string>;
}

/** What a check returns; the validator adds the wall time. */
export type QueueCheckOutcome = Omit<QueueCheckResult, 'wall_time_ms'>;

/** A check: runs on fresh stores and never throws for a failed expectation (it reports it). */
export type QueueCheck = (context: QueueCheckContext) => Promise<QueueCheckOutcome>;
