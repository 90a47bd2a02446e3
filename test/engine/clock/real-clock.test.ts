import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { RealClock } from '../../../src/engine/clock/real-clock.ts';
import { VirtualClock } from '../../../src/engine/clock/virtual-clock.ts';

// Wall time is simulated: fake timers replace setTimeout, and a counter replaces performance.now().
describe('RealClock', () => {
  let wall = 0;
  const time = { now: () => wall };

  beforeEach(() => {
    wall = 5000;
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  function advance(ms: number): void {
    wall += ms;
    vi.advanceTimersByTime(ms);
  }

  it('reads milliseconds since it was created', () => {
    const clock = new RealClock(time);
    expect(clock.now()).toBe(0);
    wall += 12.5;
    expect(clock.now()).toBe(12.5);
  });

  it('fires and clears timers through setTimeout', () => {
    const clock = new RealClock(time);
    const fired: string[] = [];
    clock.setTimer(10, () => fired.push('a'));
    const cleared = clock.setTimer(5, () => fired.push('b'));
    clock.setTimer(-3, () => fired.push('c'));
    clock.clearTimer(cleared);
    clock.clearTimer(new VirtualClock().setTimer(1, () => {}));
    advance(10);
    expect(fired).toEqual(['c', 'a']);
  });

  it('sleeps and honours abort', async () => {
    const clock = new RealClock(time);
    const sleeping = clock.sleep(100);
    advance(100);
    await expect(sleeping).resolves.toBeUndefined();

    const controller = new AbortController();
    const aborted = clock.sleep(100, controller.signal);
    controller.abort(new Error('cancelled'));
    await expect(aborted).rejects.toThrow('cancelled');
    expect(vi.getTimerCount()).toBe(0);
    await expect(clock.sleep(1, AbortSignal.abort(new Error('early')))).rejects.toThrow('early');
  });

  it('uses performance.now by default', () => {
    vi.useRealTimers();
    const now = vi.spyOn(performance, 'now').mockReturnValueOnce(100.25).mockReturnValueOnce(350.75);
    try {
      const clock = new RealClock();
      // Reads 0 at creation, then performance.now's progress since then.
      expect(clock.now()).toBe(250.5);
      expect(now).toHaveBeenCalledTimes(2);
    } finally {
      now.mockRestore();
    }
  });
});
