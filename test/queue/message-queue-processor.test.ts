import { describe, expect, it } from 'vitest';
import type { Message } from '../../src/protocol/index.ts';
import {
  MemoryQueueStore,
  MessageQueue,
  type MessageQueueOptions,
  MessageQueueProcessor,
  type MessageQueueProcessorOptions,
} from '../../src/queue/index.ts';
import { makeMessage } from './fixtures.ts';
import { flushMicrotasks, ManualClock } from './manual-clock.ts';
import { type CoreAnswer, type CoreCall, ScriptedCore } from './scripted-core.ts';

const AGENTS = ['Agent-1', 'Agent-2', 'Agent-3'];

interface Harness {
  readonly clock: ManualClock;
  readonly store: MemoryQueueStore;
  readonly queue: MessageQueue;
  readonly core: ScriptedCore;
  readonly processor: MessageQueueProcessor;
  readonly retried: string[];
  readonly deadLettered: { message: Message; recipients: readonly string[]; error: string }[];
}

async function harness(
  script?: (call: CoreCall) => CoreAnswer,
  options: { queue?: Partial<MessageQueueOptions>; processor?: Partial<MessageQueueProcessorOptions> } = {},
): Promise<Harness> {
  const clock = new ManualClock();
  const store = new MemoryQueueStore();
  const queue = await MessageQueue.open({ store, clock, ...options.queue });
  const core = new ScriptedCore(clock, script);
  const retried: string[] = [];
  const deadLettered: Harness['deadLettered'] = [];
  const processor = new MessageQueueProcessor({
    queue,
    messagingCore: core,
    clock,
    agents: AGENTS,
    events: {
      retried: (message, attempt) => retried.push(`${message.id}@${attempt}`),
      deadLettered: (message, recipients, error) => deadLettered.push({ message, recipients, error }),
    },
    ...options.processor,
  });
  return { clock, store, queue, core, processor, retried, deadLettered };
}

describe('MessageQueueProcessor delivery', () => {
  it('delivers each message once to its recipient and acks it', async () => {
    const h = await harness();
    for (let i = 1; i <= 3; i++) await h.processor.submit(makeMessage(i, { recipient: `Agent-${i}` }));
    const counts = await h.processor.processBatch();
    expect(counts).toEqual({ processed: 3, delivered: 3, retried: 0, deadLettered: 0, unsettled: 0 });
    expect(h.core.calls.map((call) => `${call.messageId}->${call.recipient}@${call.attempt}`)).toEqual([
      'm-1->Agent-1@1',
      'm-2->Agent-2@1',
      'm-3->Agent-3@1',
    ]);
    expect(h.queue.stats()).toMatchObject({ pending: 0, processing: 0 });
  });

  it('rejects an invalid message in submit with ERR_INVALID_MESSAGE and enqueues nothing', async () => {
    const h = await harness();
    await expect(h.processor.submit({ ...makeMessage(1), recipient: '../etc' })).rejects.toMatchObject({
      code: 'ERR_INVALID_MESSAGE',
    });
    expect(h.queue.stats().pending).toBe(0);
  });

  it('retries after 5 s, 15 s and 45 s, then dead-letters with the last error', async () => {
    let calls = 0;
    const h = await harness(() => new Error(`core down #${++calls}`));
    await h.processor.submit(makeMessage(1));
    const run = h.processor.run();
    await h.clock.advance(200_000);
    expect(h.core.calls.map((call) => [call.at, call.attempt])).toEqual([
      [0, 1],
      [5000, 2],
      [20_000, 3],
      [65_000, 4],
    ]);
    expect(h.retried).toEqual(['m-1@2', 'm-1@3', 'm-1@4']);
    expect(h.deadLettered).toEqual([
      { message: expect.objectContaining({ id: 'm-1' }), recipients: ['Agent-1'], error: 'core down #4' },
    ]);
    expect(h.queue.deadLetters()).toEqual([
      expect.objectContaining({ status: 'dead_lettered', attempts: 4, lastError: 'core down #4' }),
    ]);
    await h.processor.stop();
    expect(await run).toMatchObject({ processed: 4, retried: 3, deadLettered: 1, delivered: 0 });
  });

  it('counts a `false` answer as a failure named delivery_failed', async () => {
    const h = await harness((call) => call.attempt > 1);
    await h.processor.submit(makeMessage(1));
    expect(await h.processor.processBatch()).toMatchObject({ retried: 1 });
    expect(h.queue.stats()).toMatchObject({ pending: 1, delayed: 1 });
    expect(h.queue.get('e1')?.lastError).toBe('delivery_failed');
  });

  it('fans a broadcast out to every agent, and a retry re-attempts only the failed recipients', async () => {
    const h = await harness((call) => !(call.recipient === 'Agent-2' && call.attempt === 1));
    await h.processor.submit(makeMessage(1, { recipient: 'ALL', type: 'broadcast' }));
    const first = await h.processor.processBatch();
    expect(first).toMatchObject({ processed: 1, retried: 1 });
    expect(h.queue.get('e1')).toMatchObject({
      deliveredTo: ['Agent-1', 'Agent-3'],
      lastError: 'Agent-2: delivery_failed',
    });
    await h.clock.advance(5000);
    const second = await h.processor.processBatch();
    expect(second).toMatchObject({ processed: 1, delivered: 1 });
    expect(h.core.callsFor('m-1')).toEqual(['Agent-1@1', 'Agent-2@1', 'Agent-3@1', 'Agent-2@2']);
  });

  it('aborts a delivery that hangs past deliveryTimeoutMs and counts it as delivery_timeout', async () => {
    const h = await harness((call) => (call.attempt === 1 ? 'hang' : true), {
      processor: { deliveryTimeoutMs: 1000 },
    });
    await h.processor.submit(makeMessage(1));
    const batch = h.processor.processBatch();
    await h.clock.advance(999);
    expect(h.core.calls[0]?.signal?.aborted).toBe(false);
    await h.clock.advance(1);
    expect(await batch).toMatchObject({ retried: 1 });
    expect(h.core.calls[0]?.signal?.aborted).toBe(true);
    expect(h.queue.get('e1')?.lastError).toBe('delivery_timeout');
  });

  it('renews leases so a delivery slower than the lease is not handed out twice', async () => {
    let release!: (ok: boolean) => void;
    const slow = new Promise<boolean>((resolve) => {
      release = resolve;
    });
    const h = await harness(() => slow, { queue: { leaseMs: 1000 }, processor: { deliveryTimeoutMs: 5000 } });
    await h.processor.submit(makeMessage(1));
    const batch = h.processor.processBatch();
    await h.clock.advance(3000);
    expect(h.queue.stats()).toMatchObject({ processing: 1, pending: 0 });
    release(true);
    expect(await batch).toMatchObject({ delivered: 1 });
    expect(h.core.calls).toHaveLength(1);
  });
});

describe('MessageQueueProcessor run, stop and drain', () => {
  it('waits for work on an empty queue instead of ending the run', async () => {
    const h = await harness();
    const run = h.processor.run({ maxMessages: 2 });
    await h.clock.advance(60_000);
    expect(h.processor.isRunning).toBe(true);
    await h.processor.submit(makeMessage(1));
    await flushMicrotasks();
    await h.processor.submit(makeMessage(2));
    expect(await run).toMatchObject({ processed: 2, delivered: 2 });
  });

  it('run({ maxMessages }) takes exactly that many and strands nothing', async () => {
    const h = await harness(undefined, { processor: { batchSize: 10, concurrency: 2 } });
    for (let i = 1; i <= 25; i++) await h.processor.submit(makeMessage(i));
    const counts = await h.processor.run({ maxMessages: 12 });
    expect(counts).toMatchObject({ processed: 12, delivered: 12 });
    expect(h.queue.stats()).toMatchObject({ pending: 13, processing: 0 });
  });

  it('stop() lets in-flight deliveries finish and leaves nothing processing', async () => {
    const answers: ((ok: boolean) => void)[] = [];
    const h = await harness(() => new Promise<boolean>((resolve) => answers.push(resolve)), {
      processor: { batchSize: 2, concurrency: 2 },
    });
    for (let i = 1; i <= 6; i++) await h.processor.submit(makeMessage(i));
    const run = h.processor.run();
    await flushMicrotasks();
    expect(h.processor.inFlight).toBe(4);
    let stopped = false;
    const stop = h.processor.stop().then(() => {
      stopped = true;
    });
    await flushMicrotasks();
    expect(stopped).toBe(false);
    for (const answer of answers.splice(0)) answer(true);
    await stop;
    expect(await run).toMatchObject({ processed: 4, delivered: 4 });
    expect(h.queue.stats()).toMatchObject({ pending: 2, processing: 0 });
    expect(h.core.calls).toHaveLength(4);
  });

  it('stops when its signal aborts', async () => {
    const h = await harness();
    const controller = new AbortController();
    const run = h.processor.run({ signal: controller.signal });
    await h.processor.submit(makeMessage(1));
    await flushMicrotasks();
    controller.abort();
    expect(await run).toMatchObject({ processed: 1 });
    expect(h.processor.isRunning).toBe(false);
  });

  it('drain() processes until idle, through backoffs, on the clock', async () => {
    const h = await harness((call) => call.attempt > 2, { processor: { batchSize: 3 } });
    for (let i = 1; i <= 7; i++) await h.processor.submit(makeMessage(i));
    let drained = false;
    const drain = h.processor.drain().then(() => {
      drained = true;
    });
    await h.clock.advance(19_999);
    expect(drained).toBe(false);
    await h.clock.advance(1);
    await drain;
    expect(h.queue.stats()).toMatchObject({ pending: 0, processing: 0, deadLettered: 0 });
    expect(h.processor.isRunning).toBe(false);
    expect(h.core.calls).toHaveLength(21);
  });

  it('drain() takes over when the active run stops at maxMessages, and gives up when stop() is called', async () => {
    const h = await harness();
    for (let i = 1; i <= 5; i++) await h.processor.submit(makeMessage(i));
    const limited = h.processor.run({ maxMessages: 2 });
    await h.processor.drain();
    expect(await limited).toMatchObject({ processed: 2 });
    expect(h.core.calls).toHaveLength(5);

    const hanging = await harness(() => 'hang');
    await hanging.processor.submit(makeMessage(1));
    let drained = false;
    const drain = hanging.processor.drain().then(() => {
      drained = true;
    });
    await flushMicrotasks();
    const stop = hanging.processor.stop();
    await hanging.clock.advance(30_000);
    await Promise.all([stop, drain]);
    expect(drained).toBe(true);
    expect(hanging.queue.stats()).toMatchObject({ pending: 1, processing: 0, delayed: 1 });
  });

  it('refuses a second concurrent run', async () => {
    const h = await harness();
    const controller = new AbortController();
    const first = h.processor.run({ signal: controller.signal });
    await expect(h.processor.run()).rejects.toMatchObject({ code: 'ERR_INVALID_OPTION' });
    controller.abort();
    await first;
  });
});

describe('MessageQueueProcessor with store failures and crashes', () => {
  it('counts an ack that cannot be written as unsettled; the lease brings the entry back', async () => {
    let failWrites = false;
    const clock = new ManualClock();
    const store = new MemoryQueueStore({
      faults: { beforeAppend: () => (failWrites ? new Error('disk full') : undefined) },
    });
    const queue = await MessageQueue.open({ store, clock, leaseMs: 1000 });
    const core = new ScriptedCore(clock);
    const processor = new MessageQueueProcessor({ queue, messagingCore: core, clock, agents: AGENTS });
    await processor.submit(makeMessage(1));
    failWrites = true;
    expect(await processor.processBatch()).toMatchObject({ processed: 1, unsettled: 1 });
    failWrites = false;
    expect(queue.stats()).toMatchObject({ processing: 1 });
    await clock.advance(1000);
    expect(await processor.processBatch()).toMatchObject({ delivered: 1 });
    expect(core.callsFor('m-1')).toEqual(['Agent-1@1', 'Agent-1@1']);
  });

  it('rejects a submit whose store write fails, and never delivers that message', async () => {
    let failWrites = true;
    const clock = new ManualClock();
    const store = new MemoryQueueStore({
      faults: { beforeAppend: () => (failWrites ? new Error('disk full') : undefined) },
    });
    const queue = await MessageQueue.open({ store, clock });
    const core = new ScriptedCore(clock);
    const processor = new MessageQueueProcessor({ queue, messagingCore: core, clock, agents: AGENTS });
    await expect(processor.submit(makeMessage(1))).rejects.toMatchObject({ code: 'ERR_STORE_WRITE' });
    failWrites = false;
    await processor.submit(makeMessage(2));
    await processor.drain();
    expect(core.calls.map((call) => call.messageId)).toEqual(['m-2']);
    expect(store.size).toBe(0);
  });

  it('recovers after a crash: entries that were processing are delivered by the next processor', async () => {
    const clock = new ManualClock();
    const store = new MemoryQueueStore();
    const first = await MessageQueue.open({ store, clock });
    const hung = new ScriptedCore(clock, () => 'hang');
    const doomed = new MessageQueueProcessor({ queue: first, messagingCore: hung, clock, agents: AGENTS });
    for (let i = 1; i <= 4; i++) await doomed.submit(makeMessage(i));
    void doomed.processBatch();
    await flushMicrotasks();
    expect(first.stats()).toMatchObject({ processing: 4 });
    first.abandon();

    const second = await MessageQueue.open({ store, clock });
    expect(second.stats()).toMatchObject({ pending: 4, processing: 0 });
    const core = new ScriptedCore(clock);
    const processor = new MessageQueueProcessor({
      queue: second,
      messagingCore: core,
      clock,
      agents: AGENTS,
    });
    await processor.drain();
    expect(core.calls.map((call) => call.messageId)).toEqual(['m-1', 'm-2', 'm-3', 'm-4']);
    expect(store.size).toBe(0);
  });
});

describe('MessageQueueProcessor options', () => {
  it('requires a messaging core and validates the rest once', async () => {
    const clock = new ManualClock();
    const queue = await MessageQueue.open({ store: new MemoryQueueStore(), clock });
    const base = { queue, clock, agents: AGENTS, messagingCore: new ScriptedCore(clock) };
    const cases: [Partial<MessageQueueProcessorOptions>, RegExp][] = [
      [{ messagingCore: undefined }, /`messagingCore` to be a MessagingCore/],
      [{ batchSize: 0 }, /`batchSize` to be an integer from 1 to 10000, got `0`/],
      [{ concurrency: 1.5 }, /`concurrency`/],
      [{ deliveryTimeoutMs: 0 }, /`deliveryTimeoutMs`/],
      [{ agents: ['Agent-1', 'Agent-1'] }, /distinct agent ids/],
      [{ events: {} as never }, /`events`/],
    ];
    for (const [options, message] of cases) {
      expect(
        () => new MessageQueueProcessor({ ...base, ...options } as MessageQueueProcessorOptions),
      ).toThrow(message);
    }
    expect(() => new MessageQueueProcessor({ ...base, agents: ['../x'] })).toThrow(/agents\[0\]/);
  });
});
