import { describe, expect, it } from 'vitest';
import {
  INSTANTS_PER_TURN,
  runUntil,
  settleContinuations,
  yieldToEventLoop,
} from '../../../src/engine/clock/run-until.ts';
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

describe('settleContinuations', () => {
  it('returns only after deep microtask chains, and chains a process.nextTick started, have finished', async () => {
    await Promise.resolve(); // called from a continuation, as runUntil does
    let chained = false;
    let ticked = false;
    void deepChain(500).then(() => {
      chained = true;
    });
    process.nextTick(() => {
      void deepChain(300).then(() => {
        ticked = true;
      });
    });
    await settleContinuations();
    expect(chained).toBe(true);
    expect(ticked).toBe(true);
  });

  it('does not wait for macrotasks: runUntil turns the event loop for those', async () => {
    await Promise.resolve();
    let immediate = false;
    setImmediate(() => {
      immediate = true;
    });
    await settleContinuations();
    expect(immediate).toBe(false);
    await yieldToEventLoop();
    expect(immediate).toBe(true);
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

  it('finishes work deferred through process.nextTick within its instant', async () => {
    const clock = new VirtualClock();
    const times: number[] = [];
    const work = (async () => {
      for (let i = 0; i < 200; i++) {
        await clock.sleep(1);
        await new Promise<void>((resolve) => process.nextTick(resolve));
        await deepChain(5);
        times.push(clock.now());
      }
    })();
    const result = await runUntil(clock, work);
    expect(result.status).toBe('done');
    expect(times).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
  });

  it(`turns the event loop every ${INSTANTS_PER_TURN} instants, so macrotask work is not starved`, async () => {
    const clock = new VirtualClock();
    let turns = 0;
    let counting = true;
    const count = (): void => {
      turns++;
      if (counting) setImmediate(count);
    };
    setImmediate(count);
    const instants = INSTANTS_PER_TURN * 10;
    let fired = 0;
    const tick = (): void => {
      if (++fired < instants) clock.setTimer(1, tick);
    };
    clock.setTimer(1, tick);
    const result = await runUntil(clock, () => fired >= instants);
    counting = false;
    expect(result.status).toBe('done');
    expect(turns).toBeGreaterThanOrEqual(10);
    expect(turns).toBeLessThanOrEqual(12);
  });

  it('turns the event loop while the clock is held, so real I/O finishes before time moves', async () => {
    const clock = new VirtualClock();
    const steps: string[] = [];
    const work = (async () => {
      await clock.sleep(5);
      const release = clock.hold();
      // Real work that only the event loop completes: a real timer.
      await new Promise((resolve) => setTimeout(resolve, 5));
      steps.push(`io done at ${clock.now()}`);
      release();
      await clock.sleep(5);
      steps.push(`slept to ${clock.now()}`);
    })();
    clock.setTimer(6, () => steps.push('timer at 6'));
    const result = await runUntil(clock, work);
    expect(result.status).toBe('done');
    expect(steps).toEqual(['io done at 5', 'timer at 6', 'slept to 10']);
  });

  it('rejects when the goal predicate throws, at any point of the drive', async () => {
    const clock = new VirtualClock();
    clock.setTimer(5, () => undefined);
    let calls = 0;
    // Throws on its third call: after the first instant, or in the idle check once no timer is left.
    const predicate = (): boolean => {
      if (++calls === 3) throw new Error('goal check failed');
      return false;
    };
    await expect(runUntil(clock, predicate)).rejects.toThrow('goal check failed');
    const failing = new VirtualClock();
    let checks = 0;
    await expect(
      runUntil(failing, () => {
        if (++checks === 2) throw new Error('idle check failed');
        return false;
      }),
    ).rejects.toThrow('idle check failed');
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
