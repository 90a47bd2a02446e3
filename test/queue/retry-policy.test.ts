import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { resolveRetryPolicy, retryDelayMs } from '../../src/queue/retry-policy.ts';

describe('resolveRetryPolicy and retryDelayMs', () => {
  it('defaults to 4 attempts in total: retries after 5 s, 15 s and 45 s', () => {
    const policy = resolveRetryPolicy(undefined);
    expect(policy).toEqual({ maxAttempts: 4, baseDelayMs: 5000, factor: 3, maxDelayMs: 300_000 });
    expect([1, 2, 3].map((failed) => retryDelayMs(policy, failed))).toEqual([5000, 15_000, 45_000]);
  });

  it('caps every delay at maxDelayMs and never decreases', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10_000 }),
        fc.double({ min: 1, max: 10, noNaN: true }),
        fc.integer({ min: 0, max: 100_000 }),
        (baseDelayMs, factor, extra) => {
          const policy = resolveRetryPolicy({ baseDelayMs, factor, maxDelayMs: baseDelayMs + extra });
          let previous = 0;
          for (let failed = 1; failed <= 30; failed++) {
            const delay = retryDelayMs(policy, failed);
            expect(delay).toBeLessThanOrEqual(policy.maxDelayMs);
            expect(delay).toBeGreaterThanOrEqual(previous);
            previous = delay;
          }
        },
      ),
    );
  });

  it('rejects bad options with ERR_INVALID_OPTION naming the field', () => {
    expect(() => resolveRetryPolicy({ maxAttempts: 0 })).toThrow(
      /`retry.maxAttempts` to be an integer from 1/,
    );
    expect(() => resolveRetryPolicy({ baseDelayMs: -1 })).toThrow(/`retry.baseDelayMs`/);
    expect(() => resolveRetryPolicy({ factor: 0.5 })).toThrow(/`retry.factor` to be a finite number >= 1/);
    expect(() => resolveRetryPolicy({ maxDelayMs: 10 })).toThrow(
      /`retry.maxDelayMs`.*>= `baseDelayMs` \(5000\)/,
    );
    expect(() => resolveRetryPolicy('fast' as never)).toThrow(/`retry` to be an object/);
  });
});
