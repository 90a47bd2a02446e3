import { describe, expect, it } from 'vitest';
import { DeadlineTimer } from '../../src/queue/deadline-timer.ts';
import { ManualClock } from './manual-clock.ts';

describe('DeadlineTimer', () => {
  it('keeps one timer, re-armed only for an earlier deadline', async () => {
    const clock = new ManualClock();
    const fired: number[] = [];
    const timer = new DeadlineTimer(clock, () => fired.push(clock.now()));
    timer.armBy(500);
    timer.armBy(800);
    timer.armBy(Number.POSITIVE_INFINITY);
    expect(clock.pendingTimers).toBe(1);
    timer.armBy(200);
    expect(clock.pendingTimers).toBe(1);
    await clock.advance(1000);
    expect(fired).toEqual([200]);
  });

  it('fires at once for a deadline already past, and never after stop()', async () => {
    const clock = new ManualClock(1000);
    const fired: number[] = [];
    const timer = new DeadlineTimer(clock, () => fired.push(clock.now()));
    timer.armBy(10);
    await clock.advance(0);
    expect(fired).toEqual([1000]);
    timer.armBy(1500);
    timer.stop();
    timer.armBy(1200);
    await clock.advance(1000);
    expect(fired).toEqual([1000]);
    expect(clock.pendingTimers).toBe(0);
  });
});
