import { describe, expect, it } from 'vitest';
import { findNonJsonValue } from '../../src/protocol/index.ts';
import { LiveEntry } from '../../src/queue/live-entry.ts';
import { makeMessage } from './fixtures.ts';

describe('LiveEntry', () => {
  it('snapshots as a JSON-plain QueueEntry, with a lease only while processing', () => {
    const entry = new LiveEntry({
      entryId: 'e1',
      sequence: 1,
      message: makeMessage(1),
      status: 'processing',
      attempts: 2,
      deliveredTo: ['Agent-1'],
      enqueuedAt: 5,
      availableAt: 7,
      leaseUntil: 9,
      lastError: 'x',
    });
    expect(entry.status).toBe('pending');
    const pending = entry.snapshot();
    expect(pending).not.toHaveProperty('leaseUntil');
    expect(findNonJsonValue(pending)).toBeUndefined();
    entry.status = 'processing';
    entry.leaseUntil = 40;
    expect(entry.snapshot()).toEqual({
      entryId: 'e1',
      sequence: 1,
      message: makeMessage(1),
      status: 'processing',
      attempts: 2,
      deliveredTo: ['Agent-1'],
      enqueuedAt: 5,
      availableAt: 7,
      leaseUntil: 40,
      lastError: 'x',
    });
  });
});
