import { describe, expect, it } from 'vitest';
import type { QueueEntry } from '../../src/queue/queue-entry.ts';
import { QueueJournal } from '../../src/queue/queue-journal.ts';
import { makeMessage } from './fixtures.ts';

const entry = (sequence: number, overrides: Partial<QueueEntry> = {}): QueueEntry => ({
  entryId: `e${sequence}`,
  sequence,
  message: makeMessage(sequence),
  status: 'pending',
  attempts: 0,
  deliveredTo: [],
  enqueuedAt: 0,
  availableAt: 0,
  ...overrides,
});

describe('QueueJournal', () => {
  it('applies every kind of record and recovers live entries as pending, in sequence order', () => {
    const journal = new QueueJournal();
    journal.apply({ op: 'enqueue', entry: entry(2) });
    journal.apply({ op: 'enqueue', entry: entry(1, { status: 'processing', leaseUntil: 99 }) });
    journal.apply({ op: 'enqueue', entry: entry(3) });
    journal.apply({ op: 'progress', entryId: 'e2', recipient: 'Agent-1' });
    journal.apply({ op: 'progress', entryId: 'e2', recipient: 'Agent-1' });
    journal.apply({ op: 'retry', entryId: 'e2', attempts: 1, availableAt: 5000, lastError: 'x' });
    journal.apply({ op: 'ack', entryId: 'e3', at: 1 });
    const recovered = journal.recover(['torn last line']);
    expect(
      recovered.entries.map((e) => [e.entryId, e.status, e.attempts, e.availableAt, e.deliveredTo]),
    ).toEqual([
      ['e1', 'pending', 0, 0, []],
      ['e2', 'pending', 1, 5000, ['Agent-1']],
    ]);
    expect(recovered.entries[0]).not.toHaveProperty('leaseUntil');
    expect(recovered.lastSequence).toBe(3);
    expect(recovered.warnings).toEqual(['torn last line']);
  });

  it('keeps the newest dead letters only', () => {
    const journal = new QueueJournal(2);
    for (let i = 1; i <= 3; i++) {
      journal.apply({ op: 'enqueue', entry: entry(i) });
      journal.apply({ op: 'dead', entryId: `e${i}`, attempts: 4, lastError: `err ${i}`, at: i });
    }
    const { deadLetters, entries } = journal.recover();
    expect(entries).toEqual([]);
    expect(deadLetters.map((e) => [e.entryId, e.status, e.lastError])).toEqual([
      ['e2', 'dead_lettered', 'err 2'],
      ['e3', 'dead_lettered', 'err 3'],
    ]);
  });

  it('throws ERR_STORE_CORRUPTED for a record about an unknown entry or a repeated enqueue', () => {
    const journal = new QueueJournal();
    expect(() => journal.apply({ op: 'ack', entryId: 'e9', at: 0 })).toThrow(
      expect.objectContaining({ code: 'ERR_STORE_CORRUPTED' }),
    );
    expect(() =>
      journal.apply({ op: 'retry', entryId: 'e9', attempts: 1, availableAt: 0, lastError: '' }),
    ).toThrow(/`retry` record to name the id of a live entry, got entry "e9"/);
    journal.apply({ op: 'enqueue', entry: entry(1) });
    expect(() => journal.apply({ op: 'enqueue', entry: entry(1) })).toThrow(
      /an entry id not enqueued before/,
    );
  });
});
