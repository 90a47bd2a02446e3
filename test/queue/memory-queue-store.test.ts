import { describe, expect, it } from 'vitest';
import { StressError } from '../../src/protocol/index.ts';
import { MemoryQueueStore } from '../../src/queue/index.ts';
import type { QueueRecord } from '../../src/queue/queue-record.ts';
import { makeMessage } from './fixtures.ts';

const enqueue = (sequence: number): QueueRecord => ({
  op: 'enqueue',
  entry: {
    entryId: `e${sequence}`,
    sequence,
    message: makeMessage(sequence),
    status: 'pending',
    attempts: 0,
    deliveredTo: [],
    enqueuedAt: 0,
    availableAt: 0,
  },
});

describe('MemoryQueueStore', () => {
  it('recovers what was appended, as often as it is reopened', async () => {
    const store = new MemoryQueueStore();
    expect(await store.open()).toEqual({ entries: [], deadLetters: [], lastSequence: 0, warnings: [] });
    await store.append([enqueue(1), enqueue(2), { op: 'ack', entryId: 'e1', at: 5 }]);
    const first = await store.open();
    const second = await store.open();
    expect(first.entries.map((entry) => entry.entryId)).toEqual(['e2']);
    expect(second).toEqual(first);
    expect([store.appendCount, store.recordCount, store.size]).toEqual([1, 3, 1]);
  });

  it('fails a whole append with ERR_STORE_WRITE when its fault hook returns an error', async () => {
    const injected = [new Error('disk full'), new StressError('ERR_STORE_WRITE', 'already coded')];
    const store = new MemoryQueueStore({ faults: { beforeAppend: () => injected.shift() } });
    await expect(store.append([enqueue(1)])).rejects.toMatchObject({
      code: 'ERR_STORE_WRITE',
      message: expect.stringMatching(/disk full/),
      cause: expect.objectContaining({ message: 'disk full' }),
    });
    await expect(store.append([enqueue(1)])).rejects.toThrow('already coded');
    expect(store.size).toBe(0);
    await store.append([enqueue(1)]);
    expect(store.size).toBe(1);
  });

  it('refuses appends after close until it is opened again', async () => {
    const store = new MemoryQueueStore();
    await store.close();
    await expect(store.append([enqueue(1)])).rejects.toMatchObject({ code: 'ERR_STORE_CLOSED' });
    await store.open();
    await store.append([enqueue(1)]);
    expect(store.size).toBe(1);
  });

  it('keeps at most `keepDeadLetters` dead letters', async () => {
    const store = new MemoryQueueStore({ keepDeadLetters: 1 });
    await store.append([enqueue(1), enqueue(2)]);
    await store.append([
      { op: 'dead', entryId: 'e1', attempts: 1, lastError: 'a', at: 0 },
      { op: 'dead', entryId: 'e2', attempts: 1, lastError: 'b', at: 0 },
    ]);
    expect((await store.open()).deadLetters.map((entry) => entry.lastError)).toEqual(['b']);
  });
});
