import { type Clock, DEFAULT_MAX_CONTENT_LENGTH, invalidOption } from '../protocol/index.ts';
import type { QueueStore } from './queue-store.ts';
import { type RetryOptions, type RetryPolicy, resolveRetryPolicy } from './retry-policy.ts';

/** Options of {@link MessageQueue.open}. */
export interface MessageQueueOptions {
  /** Where every state change is journaled, and what the queue recovers from when it opens. */
  readonly store: QueueStore;
  /** The only source of time: backoff, leases and their timers all run on it. */
  readonly clock: Clock;
  /**
   * Most live entries (pending, delayed, processing, or being accepted) the queue holds; delivered and
   * dead-lettered entries do not count. At capacity `enqueue` rejects with `ERR_QUEUE_FULL` (backpressure,
   * never a silent drop). `Infinity` disables the limit.
   * @default 10000
   */
  readonly capacity?: number;
  /** How long a dequeued entry stays leased before it returns to pending, in milliseconds. @default 30000 */
  readonly leaseMs?: number;
  /** Retry and backoff of failed entries. */
  readonly retry?: RetryOptions;
  /**
   * How many dead-lettered entries `deadLetters()` keeps: the newest ones; older ones leave memory but stay
   * counted in `stats().deadLettered`. `Infinity` keeps them all (memory then grows with every dead letter).
   * @default 1000
   */
  readonly keepDeadLetters?: number;
  /**
   * Largest message `content` `enqueue` accepts, in UTF-16 code units; every message is validated before it
   * is journaled, so nothing the store could not read back is ever written.
   * @default 65536
   */
  readonly maxContentLength?: number;
}

/** {@link MessageQueueOptions} with defaults applied and validated. */
export interface ResolvedMessageQueueOptions {
  readonly store: QueueStore;
  readonly clock: Clock;
  readonly capacity: number;
  readonly leaseMs: number;
  readonly retry: RetryPolicy;
  readonly keepDeadLetters: number;
  readonly maxContentLength: number;
}

const isCountOrInfinity = (value: unknown, min: number): value is number =>
  value === Number.POSITIVE_INFINITY || (Number.isSafeInteger(value) && (value as number) >= min);

const hasMethods = (value: unknown, names: readonly string[]): boolean =>
  typeof value === 'object' &&
  value !== null &&
  names.every((name) => typeof (value as Record<string, unknown>)[name] === 'function');

/** Applies the defaults of {@link MessageQueueOptions} and validates them once. */
export function resolveMessageQueueOptions(options: MessageQueueOptions): ResolvedMessageQueueOptions {
  if (typeof options !== 'object' || options === null) throw invalidOption('options', 'an object', options);
  const { store, clock, capacity = 10_000, leaseMs = 30_000, keepDeadLetters = 1000 } = options;
  const { maxContentLength = DEFAULT_MAX_CONTENT_LENGTH } = options;
  if (!hasMethods(store, ['open', 'append', 'close'])) {
    throw invalidOption('store', 'a QueueStore (an object with `open`, `append` and `close` methods)', store);
  }
  if (!hasMethods(clock, ['now', 'setTimer', 'clearTimer', 'sleep'])) {
    throw invalidOption('clock', 'a Clock (an object with `now`, `setTimer`, `clearTimer`, `sleep`)', clock);
  }
  if (!isCountOrInfinity(capacity, 1))
    throw invalidOption('capacity', 'an integer >= 1 or Infinity', capacity);
  if (typeof leaseMs !== 'number' || !Number.isFinite(leaseMs) || leaseMs <= 0) {
    throw invalidOption('leaseMs', 'a finite number of milliseconds > 0', leaseMs);
  }
  if (!isCountOrInfinity(keepDeadLetters, 0)) {
    throw invalidOption('keepDeadLetters', 'an integer >= 0 or Infinity', keepDeadLetters);
  }
  if (!isCountOrInfinity(maxContentLength, 1)) {
    throw invalidOption('maxContentLength', 'an integer >= 1 or Infinity', maxContentLength);
  }
  const retry = resolveRetryPolicy(options.retry);
  return { store, clock, capacity, leaseMs, retry, keepDeadLetters, maxContentLength };
}
