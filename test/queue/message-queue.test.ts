import { describe, expect, it } from 'vitest';
import { StressError } from '../../src/protocol/index.ts';
import { MemoryQueueStore, MessageQueue, type MessageQueueOptions } from '../../src/queue/index.ts';
import { makeMessage } from './fixtures.ts';
import { flushMicrotasks, ManualClock } from './manual-clock.ts';

async function openQueue(options: Partial<MessageQueueOptions> = {}) {
  const clock = new ManualClock();
  const store = new MemoryQueueStore();
  const queue = await MessageQueue.open({ store, clock, ...options });
  return { clock, store, queue };
}

async function rejection(promise: Promise<unknown>): Promise<StressError> {
  try {
    await promise;
  } catch (error) {
    if (StressError.is(error)) return error;
    throw error;
  }
  throw new Error('expected a rejection');
}

describe('MessageQueue ordering', () => {
  it('hands out urgent entries first, FIFO by sequence within a priority', async () => {
    const { queue } = await openQueue();
    await queue.enqueue(makeMessage(1));
    await queue.enqueue(makeMessage(2, { priority: 'urgent' }));
    await queue.enqueue(makeMessage(3));
    await queue.enqueue(makeMessage(4, { priority: 'urgent' }));
    const ids = queue.dequeue(10).map((entry) => entry.message.id);
    expect(ids).toEqual(['m-2', 'm-4', 'm-1', 'm-3']);
  });

  it('puts a retried entry back in sequence order once its backoff elapsed', async () => {
    const { queue, clock } = await openQueue({ retry: { baseDelayMs: 100 } });
    for (let i = 1; i <= 3; i++) await queue.enqueue(makeMessage(i));
    const [first] = queue.dequeue(1);
    await queue.fail(first!.entryId, 'boom');
    expect(queue.dequeue(1)[0]?.message.id).toBe('m-2');
    await clock.advance(100);
    expect(queue.dequeue(5).map((entry) => entry.message.id)).toEqual(['m-1', 'm-3']);
  });

  it('marks dequeued entries processing with a lease and counts attempts on failure', async () => {
    const { queue, clock } = await openQueue({ leaseMs: 1000 });
    await clock.advance(50);
    await queue.enqueue(makeMessage(1));
    const [entry] = queue.dequeue(1);
    expect(entry).toMatchObject({ status: 'processing', leaseUntil: 1050, attempts: 0, sequence: 1 });
    const after = await queue.fail(entry!.entryId, 'boom');
    expect(after).toMatchObject({ status: 'pending', attempts: 1, availableAt: 5050, lastError: 'boom' });
    expect(after).not.toHaveProperty('leaseUntil');
  });

  it('rejects a bad `max` for dequeue', async () => {
    const { queue } = await openQueue();
    expect(() => queue.dequeue(0)).toThrow(/Expected `max` to be an integer >= 1, got `0`/);
  });
});

describe('MessageQueue retries and dead letters', () => {
  it('backs off 5 s, 15 s and 45 s by default, then dead-letters with the last error', async () => {
    const { queue, clock } = await openQueue();
    await queue.enqueue(makeMessage(1));
    const availableAt: number[] = [];
    for (let attempt = 1; attempt <= 3; attempt++) {
      const [entry] = queue.dequeue(1);
      const after = await queue.fail(entry!.entryId, `error ${attempt}`);
      availableAt.push(after!.availableAt);
      expect(queue.dequeue(1)).toEqual([]);
      expect(queue.stats()).toMatchObject({ pending: 1, delayed: 1 });
      await clock.advanceTo(after!.availableAt);
    }
    expect(availableAt).toEqual([5000, 20_000, 65_000]);
    const [entry] = queue.dequeue(1);
    const dead = await queue.fail(entry!.entryId, 'error 4');
    expect(dead).toMatchObject({ status: 'dead_lettered', attempts: 4, lastError: 'error 4' });
    expect(queue.deadLetters()).toEqual([dead]);
    expect(queue.stats()).toEqual({
      pending: 0,
      processing: 0,
      delayed: 0,
      deadLettered: 1,
      capacity: 10_000,
    });
  });

  it('keeps only the newest `keepDeadLetters` dead letters but counts them all', async () => {
    const { queue } = await openQueue({ keepDeadLetters: 2, retry: { maxAttempts: 1 } });
    for (let i = 1; i <= 3; i++) await queue.enqueue(makeMessage(i));
    for (const entry of queue.dequeue(3)) await queue.fail(entry.entryId, 'x');
    expect(queue.deadLetters().map((entry) => entry.message.id)).toEqual(['m-2', 'm-3']);
    expect(queue.stats().deadLettered).toBe(3);
  });

  it('journals progress so a retried broadcast remembers who it reached', async () => {
    const { queue, store } = await openQueue();
    await queue.enqueue(makeMessage(1, { recipient: 'ALL' }));
    const [entry] = queue.dequeue(1);
    const after = await queue.fail(entry!.entryId, 'partial', {
      delivered: ['Agent-1', 'Agent-2', 'Agent-1'],
    });
    expect(after?.deliveredTo).toEqual(['Agent-1', 'Agent-2']);
    expect((await store.open()).entries[0]?.deliveredTo).toEqual(['Agent-1', 'Agent-2']);
  });
});

describe('MessageQueue acks are harmless when repeated', () => {
  it('returns false for a second ack, an unknown entry and a pending entry', async () => {
    const { queue } = await openQueue();
    await queue.enqueue(makeMessage(1));
    const pending = await queue.enqueue(makeMessage(2));
    const [entry] = queue.dequeue(1);
    const [first, second] = await Promise.all([queue.ack(entry!.entryId), queue.ack(entry!.entryId)]);
    expect([first, second]).toEqual([true, false]);
    expect(await queue.ack(entry!.entryId)).toBe(false);
    expect(await queue.ack('nope')).toBe(false);
    expect(await queue.ack(pending.entryId)).toBe(false);
    expect(await queue.fail(entry!.entryId, 'late')).toBeUndefined();
    expect(queue.get(entry!.entryId)).toBeUndefined();
  });

  it('prunes delivered entries so they do not count against capacity', async () => {
    const { queue } = await openQueue({ capacity: 2 });
    for (let round = 0; round < 5; round++) {
      await queue.enqueue(makeMessage(`${round}a`));
      await queue.enqueue(makeMessage(`${round}b`));
      for (const entry of queue.dequeue(2)) expect(await queue.ack(entry.entryId)).toBe(true);
    }
    expect(queue.stats()).toMatchObject({ pending: 0, processing: 0 });
  });
});

describe('MessageQueue capacity', () => {
  it('rejects with ERR_QUEUE_FULL at capacity, counting live entries and enqueues in flight', async () => {
    const { queue } = await openQueue({ capacity: 2 });
    const accepted = [queue.enqueue(makeMessage(1)), queue.enqueue(makeMessage(2))];
    const error = await rejection(queue.enqueue(makeMessage(3)));
    expect(error.code).toBe('ERR_QUEUE_FULL');
    expect(error.message).toMatch(/capacity 2/);
    expect(error.message).toMatch(/raise `capacity`/);
    await Promise.all(accepted);
    queue.dequeue(1);
    expect((await rejection(queue.enqueue(makeMessage(4)))).code).toBe('ERR_QUEUE_FULL');
  });
});

describe('MessageQueue leases', () => {
  it('returns an entry to pending when its lease expires, by timer, and wakes a waiting consumer', async () => {
    const { queue, clock } = await openQueue({ leaseMs: 1000 });
    await queue.enqueue(makeMessage(1));
    const [entry] = queue.dequeue(1);
    let woke: boolean | undefined;
    void queue.waitForWork().then((available) => {
      woke = available;
    });
    await clock.advance(999);
    expect(woke).toBeUndefined();
    await clock.advance(1);
    expect(woke).toBe(true);
    expect(queue.stats()).toMatchObject({ pending: 1, processing: 0 });
    expect(await queue.ack(entry!.entryId)).toBe(false);
    expect(queue.dequeue(1)[0]).toMatchObject({ entryId: entry!.entryId, attempts: 0, leaseUntil: 2000 });
  });

  it('renewLease keeps a slow entry processing', async () => {
    const { queue, clock } = await openQueue({ leaseMs: 1000 });
    await queue.enqueue(makeMessage(1));
    const [entry] = queue.dequeue(1);
    await clock.advance(600);
    expect(queue.renewLease(entry!.entryId)).toBe(true);
    await clock.advance(600);
    expect(queue.stats().processing).toBe(1);
    await clock.advance(400);
    expect(queue.stats().processing).toBe(0);
    expect(queue.renewLease(entry!.entryId)).toBe(false);
  });

  it('lets whenIdle resolve once an expired lease is processed again', async () => {
    const { queue, clock } = await openQueue({ leaseMs: 1000 });
    await queue.enqueue(makeMessage(1));
    queue.dequeue(1);
    let idle = false;
    void queue.whenIdle().then(() => {
      idle = true;
    });
    await clock.advance(1000);
    const [again] = queue.dequeue(1);
    await queue.ack(again!.entryId);
    await flushMicrotasks();
    expect(idle).toBe(true);
  });
});

describe('MessageQueue waiting', () => {
  it('waitForWork resolves when a backoff elapses, and false when its signal aborts', async () => {
    const { queue, clock } = await openQueue({ retry: { baseDelayMs: 500 } });
    await queue.enqueue(makeMessage(1));
    await queue.fail(queue.dequeue(1)[0]!.entryId, 'x');
    const controller = new AbortController();
    const aborted = queue.waitForWork(controller.signal);
    controller.abort();
    expect(await aborted).toBe(false);
    let woke = false;
    void queue.waitForWork().then(() => {
      woke = true;
    });
    await clock.advance(499);
    expect(woke).toBe(false);
    await clock.advance(1);
    expect(woke).toBe(true);
  });

  it('whenIdle counts entries waiting out a backoff as pending', async () => {
    const { queue, clock } = await openQueue({ retry: { baseDelayMs: 500 } });
    await queue.enqueue(makeMessage(1));
    await queue.fail(queue.dequeue(1)[0]!.entryId, 'x');
    let idle = false;
    void queue.whenIdle().then(() => {
      idle = true;
    });
    await clock.advance(10_000);
    expect(idle).toBe(false);
    await queue.ack(queue.dequeue(1)[0]!.entryId);
    await flushMicrotasks();
    expect(idle).toBe(true);
  });
});

describe('MessageQueue and its store', () => {
  it('rejects an enqueue whose write fails and keeps no entry of it', async () => {
    let failNext = true;
    const store = new MemoryQueueStore({
      faults: { beforeAppend: () => (failNext ? new Error('disk full') : undefined) },
    });
    const queue = await MessageQueue.open({ store, clock: new ManualClock() });
    const error = await rejection(queue.enqueue(makeMessage(1)));
    expect(error.code).toBe('ERR_STORE_WRITE');
    expect(error.message).toMatch(/disk full/);
    expect(queue.stats()).toMatchObject({ pending: 0, processing: 0 });
    expect(queue.dequeue(1)).toEqual([]);
    await expect(queue.whenIdle()).resolves.toBeUndefined();
    expect((await store.open()).entries).toEqual([]);
    failNext = false;
    await queue.enqueue(makeMessage(2));
    expect(queue.dequeue(5).map((entry) => entry.message.id)).toEqual(['m-2']);
  });

  it('keeps an entry processing when its ack cannot be written, and its lease returns it', async () => {
    let fail = false;
    const store = new MemoryQueueStore({
      faults: { beforeAppend: () => (fail ? new Error('io') : undefined) },
    });
    const clock = new ManualClock();
    const queue = await MessageQueue.open({ store, clock, leaseMs: 1000 });
    await queue.enqueue(makeMessage(1));
    const [entry] = queue.dequeue(1);
    fail = true;
    expect((await rejection(queue.ack(entry!.entryId))).code).toBe('ERR_STORE_WRITE');
    expect(queue.stats()).toMatchObject({ processing: 1 });
    fail = false;
    await clock.advance(1000);
    expect(queue.dequeue(1).map((e) => e.entryId)).toEqual([entry!.entryId]);
  });

  it('expires a lease that ran out while its ack was being written, once the write fails', async () => {
    let release!: (error?: Error) => void;
    const store = new MemoryQueueStore();
    const slowStore = {
      open: () => store.open(),
      close: () => store.close(),
      append: (records: Parameters<MemoryQueueStore['append']>[0]) =>
        records[0]?.op === 'ack'
          ? new Promise<void>((resolve, reject) => {
              release = (error) => (error ? reject(error) : resolve());
            })
          : store.append(records),
    };
    const clock = new ManualClock();
    const queue = await MessageQueue.open({ store: slowStore, clock, leaseMs: 1000 });
    await queue.enqueue(makeMessage(1));
    const [entry] = queue.dequeue(1);
    const acked = queue.ack(entry!.entryId);
    await clock.advance(2000);
    expect(queue.stats().processing).toBe(1);
    release(new Error('late failure'));
    await expect(acked).rejects.toThrow('late failure');
    expect(queue.stats()).toMatchObject({ pending: 1, processing: 0 });
  });

  it('batches the records of one synchronous burst into one append', async () => {
    const { queue, store } = await openQueue();
    await Promise.all([1, 2, 3].map((i) => queue.enqueue(makeMessage(i))));
    expect(store.appendCount).toBe(1);
    await Promise.all(queue.dequeue(3).map((entry) => queue.ack(entry.entryId)));
    expect(store.appendCount).toBe(2);
    expect(store.recordCount).toBe(6);
  });

  it('recovers live entries after a crash: processing ones come back pending with their attempts', async () => {
    const clock = new ManualClock();
    const store = new MemoryQueueStore();
    const first = await MessageQueue.open({ store, clock, retry: { baseDelayMs: 0 } });
    for (let i = 1; i <= 5; i++)
      await first.enqueue(makeMessage(i, { priority: i === 5 ? 'urgent' : 'regular' }));
    const taken = first.dequeue(3);
    await first.fail(taken[1]!.entryId, 'boom');
    first.dequeue(1);
    await first.ack(taken[0]!.entryId);
    first.abandon();
    expect(first.isOpen).toBe(false);
    expect(() => first.dequeue(1)).toThrow(/closed queue/);

    const second = await MessageQueue.open({ store, clock });
    expect(second.stats()).toMatchObject({ pending: 4, processing: 0 });
    const entries = second.dequeue(10);
    // m-5 (urgent) went first and was acked; m-1 failed once, was taken again, and was processing at the crash.
    expect(entries.map((entry) => [entry.message.id, entry.attempts])).toEqual([
      ['m-1', 1],
      ['m-2', 0],
      ['m-3', 0],
      ['m-4', 0],
    ]);
    const next = await second.enqueue(makeMessage(6));
    expect(next.sequence).toBe(6);
  });

  it('close() ends the waits, closes the store and refuses further calls', async () => {
    const { queue, store } = await openQueue();
    await queue.enqueue(makeMessage(1));
    const idle = queue.whenIdle();
    const work = queue.waitForWork(new AbortController().signal);
    queue.dequeue(1);
    await queue.close();
    expect((await rejection(idle)).code).toBe('ERR_QUEUE_CLOSED');
    expect(await queue.waitForWork()).toBe(false);
    expect(await work).toBe(true);
    expect((await rejection(queue.enqueue(makeMessage(2)))).code).toBe('ERR_QUEUE_CLOSED');
    expect((await rejection(store.append([]))).code).toBe('ERR_STORE_CLOSED');
  });
});

describe('MessageQueue validates everything it journals', () => {
  const message = makeMessage(1);
  it.each([
    ['priority', { priority: 'high' }],
    ['recipient', { recipient: '' }],
    ['recipient', { recipient: '../x' }],
    ['sender', { sender: 'a/b' }],
    ['type', { type: 'direct' }],
    ['createdAt', { createdAt: Number.NaN }],
    ['content', { content: 42 }],
    ['content', { content: '  ' }],
    ['id', { id: '' }],
    ['senderKind', { senderKind: 'robot' }],
    ['recipientKind', { recipientKind: undefined }],
    ['tags', { tags: 'system' }],
    ['tags[0]', { tags: ['nope'] }],
    ['metadata', { metadata: null }],
    ['metadata.when', { metadata: { when: new Date(0) } }],
  ])(
    'rejects a message with a bad %s with ERR_INVALID_MESSAGE and journals nothing',
    async (field, patch) => {
      const { queue, store } = await openQueue();
      const error = await rejection(queue.enqueue({ ...message, ...patch } as never));
      expect(error.code).toBe('ERR_INVALID_MESSAGE');
      expect(error.details.field).toBe(field);
      expect(store.recordCount).toBe(0);
      expect(queue.stats()).toMatchObject({ pending: 0, processing: 0 });
      await expect(queue.whenIdle()).resolves.toBeUndefined();
    },
  );

  it('rejects null and non-objects with a coded error, not a TypeError', async () => {
    const { queue, store } = await openQueue();
    for (const bad of [null, undefined, 42, 'message', []]) {
      const error = await rejection(queue.enqueue(bad as never));
      expect(error.code).toBe('ERR_INVALID_MESSAGE');
      expect(error.details.field).toBe('(message)');
    }
    expect(store.recordCount).toBe(0);
  });

  it('applies maxContentLength, and accepts a valid message after a refused one', async () => {
    const { queue } = await openQueue({ maxContentLength: 10 });
    const error = await rejection(queue.enqueue(makeMessage(1, { content: 'x'.repeat(11) })));
    expect(error.message).toMatch(/`content` to be at most 10 characters/);
    await expect(queue.enqueue(makeMessage(2, { content: 'x'.repeat(10) }))).resolves.toMatchObject({
      sequence: 1,
    });
  });

  it('refuses a fail() whose error or delivered recipients are not strings, changing nothing', async () => {
    const { queue, store } = await openQueue();
    await queue.enqueue(makeMessage(1));
    const [entry] = queue.dequeue(1);
    const records = store.recordCount;
    await expect(queue.fail(entry!.entryId, new Error('boom') as never)).rejects.toMatchObject({
      code: 'ERR_INVALID_OPTION',
      message: expect.stringMatching(/`error` to be a string/),
    });
    await expect(queue.fail(entry!.entryId, 'boom', { delivered: [1] as never })).rejects.toMatchObject({
      code: 'ERR_INVALID_OPTION',
      message: expect.stringMatching(/`delivered` to be an array of recipient strings/),
    });
    expect(store.recordCount).toBe(records);
    expect(queue.get(entry!.entryId)).toMatchObject({ status: 'processing', attempts: 0 });
    await expect(queue.fail(entry!.entryId, 'boom')).resolves.toMatchObject({ attempts: 1 });
  });
});

describe('MessageQueue.open', () => {
  it('validates its options once, with coded errors', async () => {
    const store = new MemoryQueueStore();
    const clock = new ManualClock();
    const cases: [Partial<MessageQueueOptions>, RegExp][] = [
      [{ capacity: 0 }, /`capacity` to be an integer >= 1 or Infinity, got `0`/],
      [{ leaseMs: -1 }, /`leaseMs` to be a finite number/],
      [{ keepDeadLetters: 1.5 }, /`keepDeadLetters`/],
      [{ maxContentLength: 0 }, /`maxContentLength` to be an integer >= 1 or Infinity/],
      [{ retry: { maxAttempts: 0 } }, /`retry.maxAttempts` to be an integer from 1 to 1000/],
      [{ retry: { baseDelayMs: 10, maxDelayMs: 5 } }, /`retry.maxDelayMs`/],
      [{ store: {} as MemoryQueueStore }, /`store` to be a QueueStore/],
    ];
    for (const [options, message] of cases) {
      const error = await rejection(MessageQueue.open({ store, clock, ...options }));
      expect(error.code).toBe('ERR_INVALID_OPTION');
      expect(error.message).toMatch(message);
    }
  });
});
