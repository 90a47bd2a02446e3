import { describe, expect, it } from 'vitest';
import { MemoryQueueStore, resolveMessageQueueOptions } from '../../src/queue/index.ts';
import { ManualClock } from './manual-clock.ts';

describe('resolveMessageQueueOptions', () => {
  it('applies the documented defaults', () => {
    const store = new MemoryQueueStore();
    const clock = new ManualClock();
    expect(resolveMessageQueueOptions({ store, clock })).toEqual({
      store,
      clock,
      capacity: 10_000,
      leaseMs: 30_000,
      retry: { maxAttempts: 4, baseDelayMs: 5000, factor: 3, maxDelayMs: 300_000 },
      keepDeadLetters: 1000,
      maxContentLength: 65_536,
    });
  });

  it('accepts Infinity for capacity and keepDeadLetters, and rejects a clock without timers', () => {
    const store = new MemoryQueueStore();
    const clock = new ManualClock();
    const options = resolveMessageQueueOptions({
      store,
      clock,
      capacity: Infinity,
      keepDeadLetters: Infinity,
    });
    expect([options.capacity, options.keepDeadLetters]).toEqual([Infinity, Infinity]);
    expect(() => resolveMessageQueueOptions({ store, clock: { now: () => 0 } as never })).toThrow(
      expect.objectContaining({
        code: 'ERR_INVALID_OPTION',
        message: expect.stringMatching(/`clock` to be a Clock/),
      }),
    );
    expect(() => resolveMessageQueueOptions(null as never)).toThrow(/`options` to be an object/);
  });
});
