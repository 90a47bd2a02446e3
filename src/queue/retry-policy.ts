import { invalidOption } from '../protocol/index.ts';

/** How failed deliveries are retried: exponential backoff, then the dead-letter list. */
export interface RetryOptions {
  /**
   * Delivery attempts an entry gets in total, the first one included: after the `maxAttempts`-th failure the
   * entry is dead-lettered. The default 4 is one attempt plus 3 retries (after 5 s, 15 s and 45 s).
   * An expired lease is not a failed attempt (nobody reported a failure), so it does not count.
   * @default 4
   */
  readonly maxAttempts?: number;
  /** Backoff before the first retry, in milliseconds. @default 5000 */
  readonly baseDelayMs?: number;
  /** Each further retry waits `factor` times longer than the previous one. @default 3 */
  readonly factor?: number;
  /** Upper bound of one backoff, in milliseconds. @default 300000 */
  readonly maxDelayMs?: number;
}

/** {@link RetryOptions} with defaults applied and validated. */
export interface RetryPolicy {
  readonly maxAttempts: number;
  readonly baseDelayMs: number;
  readonly factor: number;
  readonly maxDelayMs: number;
}

const isFiniteAtLeast = (value: unknown, min: number): value is number =>
  typeof value === 'number' && Number.isFinite(value) && value >= min;

/** Applies the defaults of {@link RetryOptions} and validates them; `path` names the option in errors. */
export function resolveRetryPolicy(options: RetryOptions | undefined, path = 'retry'): RetryPolicy {
  if (options === undefined) return { maxAttempts: 4, baseDelayMs: 5000, factor: 3, maxDelayMs: 300_000 };
  if (typeof options !== 'object' || options === null) throw invalidOption(path, 'an object', options);
  const { maxAttempts = 4, baseDelayMs = 5000, factor = 3, maxDelayMs = 300_000 } = options;
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1 || maxAttempts > 1000) {
    throw invalidOption(`${path}.maxAttempts`, 'an integer from 1 to 1000', maxAttempts);
  }
  if (!isFiniteAtLeast(baseDelayMs, 0)) {
    throw invalidOption(`${path}.baseDelayMs`, 'a finite number of milliseconds >= 0', baseDelayMs);
  }
  if (!isFiniteAtLeast(factor, 1)) throw invalidOption(`${path}.factor`, 'a finite number >= 1', factor);
  if (!isFiniteAtLeast(maxDelayMs, baseDelayMs)) {
    throw invalidOption(
      `${path}.maxDelayMs`,
      `a finite number of milliseconds >= \`baseDelayMs\` (${baseDelayMs})`,
      maxDelayMs,
    );
  }
  return { maxAttempts, baseDelayMs, factor, maxDelayMs };
}

/** The backoff after the `failedAttempts`-th failure: `min(maxDelayMs, baseDelayMs × factor^(failedAttempts − 1))`. */
export function retryDelayMs(policy: RetryPolicy, failedAttempts: number): number {
  return Math.min(policy.maxDelayMs, policy.baseDelayMs * policy.factor ** Math.max(0, failedAttempts - 1));
}
