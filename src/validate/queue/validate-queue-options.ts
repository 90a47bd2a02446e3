import { ISOLATION_TEMP_DIRECTORY } from '../../isolation/index.ts';
import { invalidOption } from '../../protocol/index.ts';
import { QUEUE_CHECK_NAMES, type QueueCheckLimits, type QueueCheckName } from './queue-check.ts';
import { type QueueSubject, REFERENCE_QUEUE_SUBJECT } from './queue-subject.ts';

/** Options of `validateQueueBehavior`; every field is optional. */
export interface ValidateQueueOptions {
  /** The queue and processor under test. @default REFERENCE_QUEUE_SUBJECT */
  readonly subject?: QueueSubject;
  /** Which checks to run, in their fixed order. @default every check */
  readonly checks?: readonly QueueCheckName[];
  /** Capacity of the capacity check's queue (1.5 × this many messages are offered). @default 100 */
  readonly capacity?: number;
  /** Messages of the ordering, priority and concurrent-access checks. @default 1000 */
  readonly messages?: number;
  /** Concurrent producers of the concurrent-access check. @default 5 */
  readonly producers?: number;
  /** Messages the memory check processes. @default 100000 */
  readonly memoryMessages?: number;
  /** Heap retained after processing, scaled to 100k messages, in bytes. @default 8 MiB */
  readonly maxRetainedBytesPer100k?: number;
  /** Heap per live (queued, unprocessed) entry, in bytes. @default 4096 */
  readonly maxBytesPerEntry?: number;
  /** Messages the throughput check enqueues and then processes. @default 20000 */
  readonly throughputMessages?: number;
  /** Lowest acceptable enqueue and processing rate, in messages per wall-clock second. @default 5000 */
  readonly minThroughput?: number;
  /** Wall-clock budget of each throughput phase, in ms. @default 2000 */
  readonly throughputBudgetMs?: number;
  /** Where fresh temporary stores are created (each in its own new directory, removed afterwards). @default ISOLATION_TEMP_DIRECTORY */
  readonly tempRoot?: string;
}

/** {@link ValidateQueueOptions} validated, defaults applied. */
export interface ResolvedValidateQueueOptions {
  readonly subject: QueueSubject;
  readonly checks: readonly QueueCheckName[];
  readonly limits: QueueCheckLimits;
  readonly tempRoot: string;
}

function integer(value: unknown, path: string, min: number, max: number, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || (value as number) < min || (value as number) > max) {
    throw invalidOption(path, `an integer from ${min} to ${max}`, value);
  }
  return value as number;
}

/** Validates {@link ValidateQueueOptions} once and applies the defaults. */
export function resolveValidateQueueOptions(
  options: ValidateQueueOptions = {},
): ResolvedValidateQueueOptions {
  if (typeof options !== 'object' || options === null) throw invalidOption('options', 'an object', options);
  const checks = options.checks ?? QUEUE_CHECK_NAMES;
  if (!Array.isArray(checks) || checks.length === 0) {
    throw invalidOption('checks', `a non-empty list of ${QUEUE_CHECK_NAMES.join(', ')}`, checks);
  }
  for (const check of checks) {
    if (!(QUEUE_CHECK_NAMES as readonly string[]).includes(check)) {
      throw invalidOption('checks', `names among ${QUEUE_CHECK_NAMES.join(', ')}`, check);
    }
  }
  const subject = options.subject ?? REFERENCE_QUEUE_SUBJECT;
  if (typeof subject?.openQueue !== 'function' || typeof subject?.createProcessor !== 'function') {
    throw invalidOption('subject', 'a QueueSubject ({ name, openQueue, createProcessor })', subject);
  }
  const tempRoot = options.tempRoot ?? ISOLATION_TEMP_DIRECTORY;
  if (typeof tempRoot !== 'string' || tempRoot === '')
    throw invalidOption('tempRoot', 'a directory path', tempRoot);
  return {
    subject,
    checks: QUEUE_CHECK_NAMES.filter((name) => checks.includes(name)),
    tempRoot,
    limits: {
      capacity: integer(options.capacity, 'capacity', 1, 1_000_000, 100),
      messages: integer(options.messages, 'messages', 10, 1_000_000, 1000),
      producers: integer(options.producers, 'producers', 2, 64, 5),
      memoryMessages: integer(options.memoryMessages, 'memoryMessages', 1000, 10_000_000, 100_000),
      maxRetainedBytesPer100k: integer(
        options.maxRetainedBytesPer100k,
        'maxRetainedBytesPer100k',
        0,
        Number.MAX_SAFE_INTEGER,
        8 * 1024 * 1024,
      ),
      maxBytesPerEntry: integer(options.maxBytesPerEntry, 'maxBytesPerEntry', 1, 100_000_000, 4096),
      throughputMessages: integer(options.throughputMessages, 'throughputMessages', 100, 10_000_000, 20_000),
      minThroughput: integer(options.minThroughput, 'minThroughput', 0, 1_000_000_000, 5000),
      throughputBudgetMs: integer(options.throughputBudgetMs, 'throughputBudgetMs', 10, 600_000, 2000),
    },
  };
}
