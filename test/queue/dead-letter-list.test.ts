import { describe, expect, it } from 'vitest';
import { DeadLetterList } from '../../src/queue/dead-letter-list.ts';
import type { QueueEntry } from '../../src/queue/queue-entry.ts';
import { makeMessage } from './fixtures.ts';

const dead = (sequence: number): QueueEntry => ({
  entryId: `e${sequence}`,
  sequence,
  message: makeMessage(sequence),
  status: 'dead_lettered',
  attempts: 4,
  deliveredTo: [],
  enqueuedAt: 0,
  availableAt: 0,
  lastError: 'x',
});

describe('DeadLetterList', () => {
  it('keeps the newest entries and counts them all', () => {
    const list = new DeadLetterList(2);
    for (let i = 1; i <= 5; i++) list.add(dead(i));
    expect(list.count).toBe(5);
    expect(list.toArray().map((entry) => entry.sequence)).toEqual([4, 5]);
  });

  it('keeps nothing with keep 0 and everything with Infinity', () => {
    const none = new DeadLetterList(0);
    const all = new DeadLetterList(Number.POSITIVE_INFINITY);
    for (let i = 1; i <= 3; i++) {
      none.add(dead(i));
      all.add(dead(i));
    }
    expect([none.count, none.toArray().length, all.toArray().length]).toEqual([3, 0, 3]);
  });
});
