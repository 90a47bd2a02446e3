import { describe, expect, it } from 'vitest';
import { EntrySchedule } from '../../src/queue/entry-schedule.ts';
import { LiveEntry } from '../../src/queue/live-entry.ts';
import { makeMessage } from './fixtures.ts';

const live = (sequence: number, availableAt = 0, urgent = false): LiveEntry =>
  new LiveEntry({
    entryId: `e${sequence}`,
    sequence,
    message: makeMessage(sequence, { priority: urgent ? 'urgent' : 'regular' }),
    status: 'pending',
    attempts: 0,
    deliveredTo: [],
    enqueuedAt: 0,
    availableAt,
  });

describe('EntrySchedule', () => {
  it('readies delayed entries when due and reports the next deadline', () => {
    const schedule = new EntrySchedule();
    expect(schedule.add(live(1, 100), 0)).toBe(false);
    expect(schedule.add(live(2, 0, true), 0)).toBe(true);
    expect([schedule.ready, schedule.delayed, schedule.nextDeadline()]).toEqual([1, 1, 100]);
    expect(schedule.refresh(99)).toBe(false);
    expect(schedule.refresh(100)).toBe(true);
    expect(schedule.take(1000)?.entryId).toBe('e2');
    expect(schedule.take(1000)?.entryId).toBe('e1');
    expect(schedule.take(1000)).toBeUndefined();
    expect([schedule.processing, schedule.nextDeadline()]).toEqual([2, 1000]);
  });

  it('expires only the newest lease of an entry, and never a settling one', () => {
    const schedule = new EntrySchedule();
    const [a, b] = [live(1), live(2)];
    schedule.add(a, 0);
    schedule.add(b, 0);
    schedule.take(100);
    schedule.take(100);
    schedule.renew(a, 300);
    b.settling = true;
    expect(schedule.refresh(100)).toBe(false);
    expect([a.status, b.status, schedule.processing]).toEqual(['processing', 'processing', 2]);
    expect(schedule.refresh(300)).toBe(true);
    expect(a.status).toBe('pending');
    expect(schedule.processing).toBe(1);
    schedule.release(b, 'delivered');
    expect([schedule.processing, schedule.nextDeadline()]).toEqual([0, Number.POSITIVE_INFINITY]);
  });
});
