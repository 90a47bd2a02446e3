import { describe, expect, it } from 'vitest';
import { runUntil, yieldToEventLoop } from '../../../src/engine/clock/run-until.ts';
import { VirtualClock } from '../../../src/engine/clock/virtual-clock.ts';

async function deepChain(depth: number): Promise<void> {
  for (let i = 0; i < depth; i++) await Promise.resolve();
}

describe('yieldToEventLoop', () => {
  it('returns only after deep microtask chains have finished', async () => {
    let done = false;
    void deepChain(500).then(() => {
      done = true;
    });
    await yieldToEventLoop();
    expect(done).toBe(true);
  });
});

describe('runUntil', () => {
  it('drives a chain of sleeps to its end, in virtual time', async () => {
    const clock = new VirtualClock();
    const times: number[] = [];
    const work = (async () => {
      for (const delay of [5, 10, 0, 20]) {
        await clock.sleep(delay);
        await deepChain(20); // continuations may take many microtask hops before the next timer
        times.push(clock.now());
      }
      return 'finished';
    })();
    const result = await runUntil(clock, work);
    expect(result.status).toBe('done');
    expect(result.now).toBe(35);
    expect(times).toEqual([5, 15, 15, 35]);
    await expect(work).resolves.toBe('finished');
  });

  it('counts a rejected promise as reached and leaves the rejection to the caller', async () => {
    const clock = new VirtualClock();
    const work = clock.sleep(3).then(() => {
      throw new Error('boom');
    });
    const result = await runUntil(clock, work);
    expect(result).toEqual({ status: 'done', now: 3, steps: 1 });
    await expect(work).rejects.toThrow('boom');
  });

  it('is also a VirtualClock method', async () => {
    const clock = new VirtualClock();
    expect(await clock.runUntil(clock.sleep(7))).toEqual({ status: 'done', now: 7, steps: 1 });
  });

  it('accepts a predicate', async () => {
    const clock = new VirtualClock();
    let ticks = 0;
    const tick = (): void => {
      ticks++;
      clock.setTimer(1, tick);
    };
    tick();
    const result = await runUntil(clock, () => ticks >= 10);
    expect(result.status).toBe('done');
    expect(clock.now()).toBe(9);
  });

  it('reports idle when nothing is pending and the goal is not reached (a deadlock)', async () => {
    const clock = new VirtualClock();
    const never = new Promise<void>(() => {});
    const work = (async () => {
      await clock.sleep(50);
      await never;
    })();
    const result = await runUntil(clock, work);
    expect(result).toEqual({ status: 'idle', now: 50, steps: 1 });
  });

  it('stops at maxVirtualMs, firing what is due up to the limit', async () => {
    const clock = new VirtualClock({ startMs: 100 });
    let fired = 0;
    for (const delay of [10, 20, 30]) clock.setTimer(delay, () => fired++);
    const result = await runUntil(clock, () => false, { maxVirtualMs: 20 });
    expect(result.status).toBe('time_limit');
    expect(result.now).toBe(120);
    expect(fired).toBe(2);
    expect(clock.pendingTimers).toBe(1);
    await expect(runUntil(clock, () => true, { maxVirtualMs: -1 })).rejects.toThrow(/non-negative/);
  });

  it('uses the injected yield function', async () => {
    const clock = new VirtualClock();
    let yields = 0;
    const counting = (): Promise<void> => {
      yields++;
      return yieldToEventLoop();
    };
    const result = await runUntil(clock, clock.sleep(1), { yield: counting });
    expect(result.status).toBe('done');
    expect(yields).toBe(2);
  });
});
