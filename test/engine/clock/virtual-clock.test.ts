import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../../src/engine/clock/virtual-clock.ts';
import { StressError } from '../../../src/protocol/index.ts';

/** Settles every pending continuation: a macrotask runs only after the microtask queue is empty. */
const flush = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('VirtualClock', () => {
  it('starts at 0 (or startMs) and moves only when advanced', () => {
    expect(new VirtualClock().now()).toBe(0);
    const clock = new VirtualClock({ startMs: 1000 });
    expect(clock.now()).toBe(1000);
    expect(clock.advanceToNext()).toBe(false);
    expect(clock.nextDueTime()).toBeUndefined();
    expect(clock.now()).toBe(1000);
  });

  it('fires timers in (due time, creation order), with cleared ones skipped', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ delay: fc.integer({ min: -5, max: 20 }), clear: fc.boolean() }), {
          maxLength: 60,
        }),
        (plans) => {
          const clock = new VirtualClock();
          const fired: Array<{ index: number; at: number }> = [];
          const handles = plans.map((plan, index) =>
            clock.setTimer(plan.delay, () => fired.push({ index, at: clock.now() })),
          );
          plans.forEach((plan, index) => {
            if (plan.clear) clock.clearTimer(handles[index]!);
          });
          const kept = plans.flatMap((plan, index) =>
            plan.clear ? [] : [{ index, due: Math.max(plan.delay, 0) }],
          );
          expect(clock.pendingTimers).toBe(kept.length);
          while (clock.advanceToNext()) {}
          const expected = [...kept].sort((a, b) => a.due - b.due || a.index - b.index);
          expect(fired).toEqual(expected.map(({ index, due }) => ({ index, at: due })));
          expect(clock.pendingTimers).toBe(0);
        },
      ),
    );
  });

  it('fires every timer due at the next instant in one advance, but not timers those set for the same instant', () => {
    const clock = new VirtualClock();
    const log: string[] = [];
    clock.setTimer(5, () => {
      log.push('a');
      clock.setTimer(0, () => log.push('c'));
    });
    clock.setTimer(5, () => log.push('b'));
    clock.setTimer(6, () => log.push('d'));
    expect(clock.nextDueTime()).toBe(5);
    expect(clock.advanceToNext()).toBe(true);
    expect(log).toEqual(['a', 'b']);
    expect(clock.now()).toBe(5);
    expect(clock.advanceToNext()).toBe(true);
    expect(log).toEqual(['a', 'b', 'c']);
    expect(clock.now()).toBe(5);
    clock.advanceToNext();
    expect(log).toEqual(['a', 'b', 'c', 'd']);
  });

  it('ignores clearing a fired, cleared or foreign timer', () => {
    const clock = new VirtualClock();
    const other = new VirtualClock();
    let fired = 0;
    const handle = clock.setTimer(1, () => fired++);
    const keep = clock.setTimer(2, () => fired++);
    other.clearTimer(handle);
    clock.clearTimer({ id: handle.id });
    expect(clock.pendingTimers).toBe(2);
    clock.advanceToNext();
    clock.clearTimer(handle);
    clock.clearTimer(keep);
    clock.clearTimer(keep);
    expect(fired).toBe(1);
    expect(clock.pendingTimers).toBe(0);
  });

  it('rounds due times up to its resolution, batching nearby timers into one advance', () => {
    const clock = new VirtualClock({ resolutionMs: 0.5 });
    expect(clock.resolutionMs).toBe(0.5);
    const fired: number[] = [];
    for (const delay of [0.1, 0.4, 0.5, 0.6, 0]) clock.setTimer(delay, () => fired.push(clock.now()));
    expect(clock.advanceToNext()).toBe(true);
    expect(fired).toEqual([0]);
    clock.advanceToNext();
    expect(fired).toEqual([0, 0.5, 0.5, 0.5]);
    clock.advanceToNext();
    expect(fired).toEqual([0, 0.5, 0.5, 0.5, 1]);
    const offGrid = new VirtualClock({ startMs: 0.3, resolutionMs: 1 });
    offGrid.setTimer(0.2, () => {});
    expect(offGrid.nextDueTime()).toBe(1);
    expect(() => new VirtualClock({ resolutionMs: -1 })).toThrow(/resolutionMs/);
    expect(() => new VirtualClock({ startMs: Number.NaN })).toThrow(/startMs/);
  });

  it('rejects a non-finite delay', () => {
    const clock = new VirtualClock();
    expect(() => clock.setTimer(Number.POSITIVE_INFINITY, () => {})).toThrow(StressError);
    expect(() => clock.setTimer(Number.NaN, () => {})).toThrow(/finite/);
  });

  it('advanceTo steps through each due time in order, then lands on the target', () => {
    const clock = new VirtualClock();
    const seen: number[] = [];
    for (const delay of [30, 10, 20, 50]) clock.setTimer(delay, () => seen.push(clock.now()));
    clock.advanceTo(40);
    expect(seen).toEqual([10, 20, 30]);
    expect(clock.now()).toBe(40);
    clock.advanceBy(10);
    expect(seen).toEqual([10, 20, 30, 50]);
    expect(clock.now()).toBe(50);
    expect(() => clock.advanceTo(10)).toThrow(/not before now/);
    expect(() => clock.advanceBy(-1)).toThrow(/non-negative/);
  });

  it('sleep resolves when time passes its delay', async () => {
    const clock = new VirtualClock();
    let done = false;
    const sleeping = clock.sleep(100).then(() => {
      done = true;
    });
    clock.advanceBy(99);
    await flush();
    expect(done).toBe(false);
    clock.advanceBy(1);
    await sleeping;
    expect(done).toBe(true);
  });

  it('sleep rejects with the signal reason on abort and cancels its timer', async () => {
    const clock = new VirtualClock();
    const controller = new AbortController();
    const sleeping = clock.sleep(100, controller.signal);
    expect(clock.pendingTimers).toBe(1);
    controller.abort(new Error('stop'));
    await expect(sleeping).rejects.toThrow('stop');
    expect(clock.pendingTimers).toBe(0);

    const aborted = AbortSignal.abort(new Error('already'));
    await expect(clock.sleep(5, aborted)).rejects.toThrow('already');
    expect(clock.pendingTimers).toBe(0);
  });

  it('sleep ignores an abort after it resolved', async () => {
    const clock = new VirtualClock();
    const controller = new AbortController();
    const sleeping = clock.sleep(10, controller.signal);
    clock.advanceBy(10);
    controller.abort();
    await expect(sleeping).resolves.toBeUndefined();
  });
});
