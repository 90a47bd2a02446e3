import { pathToFileURL } from 'node:url';
import type { Clock, Message, TimerHandle } from '../src/protocol/index.ts';
import { MemoryQueueStore, MessageQueue } from '../src/queue/index.ts';
import type { BenchResult } from './bench-result.ts';

const MESSAGES = 1_000_000;
const WARM_UP = 200_000;
const BATCH = 1000;
const ROUNDS = 3;
const POOL = 1024;

/** Integer milliseconds that the bench moves forward itself, as a stress run's virtual clock does. */
class SteppedClock implements Clock {
  time = 0;
  readonly #timers = new Map<number, () => void>();
  #nextId = 1;
  now(): number {
    return this.time;
  }
  setTimer(_delayMs: number, callback: () => void): TimerHandle {
    const id = this.#nextId++;
    this.#timers.set(id, callback);
    return { id };
  }
  clearTimer(handle: TimerHandle): void {
    this.#timers.delete(handle.id);
  }
  sleep(): Promise<void> {
    return Promise.resolve();
  }
}

/** Wall time as `performance.now()` gives it: sub-millisecond doubles. */
class WallClock implements Clock {
  time = 0;
  now(): number {
    return performance.now();
  }
  setTimer(delayMs: number, callback: () => void): TimerHandle {
    return { id: Number(setTimeout(callback, Math.max(0, delayMs))) };
  }
  clearTimer(handle: TimerHandle): void {
    clearTimeout(handle.id);
  }
  sleep(delayMs: number): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, delayMs));
  }
}

// Distinct messages reused round-robin: a million live message objects would measure the GC, not the queue.
const pool: Message[] = Array.from({ length: POOL }, (_, i) => ({
  id: `m-${i}`,
  content: `Test message ${i}`,
  sender: 'SYSTEM',
  senderKind: 'system',
  recipient: `Agent-${(i % 9) + 1}`,
  recipientKind: 'agent',
  type: 'system_to_agent',
  priority: i % 10 === 0 ? 'urgent' : 'regular',
  tags: ['system'],
  metadata: { test: true, n: i },
  createdAt: 0,
}));

/** Enqueue a batch (awaiting every enqueue), dequeue it, ack every entry (awaiting every ack); repeat. */
async function batched(clock: SteppedClock | WallClock, count: number): Promise<number> {
  const queue = await MessageQueue.open({ store: new MemoryQueueStore(), clock, capacity: BATCH });
  const enqueued: Promise<unknown>[] = new Array(BATCH);
  const acked: Promise<boolean>[] = new Array(BATCH);
  const started = performance.now();
  for (let done = 0; done < count; done += BATCH) {
    clock.time++;
    for (let i = 0; i < BATCH; i++) enqueued[i] = queue.enqueue(pool[(done + i) & (POOL - 1)]!);
    await Promise.all(enqueued);
    const entries = queue.dequeue(BATCH);
    for (let i = 0; i < entries.length; i++) acked[i] = queue.ack(entries[i]!.entryId);
    await Promise.all(acked);
  }
  const seconds = (performance.now() - started) / 1000;
  const { pending, processing } = queue.stats();
  if (pending + processing !== 0) throw new Error('the queue is not empty after the bench');
  await queue.close();
  return count / seconds;
}

/** One message at a time: `await enqueue`, `dequeue(1)`, `await ack`, so every record is its own append. */
async function sequential(clock: SteppedClock, count: number): Promise<number> {
  const queue = await MessageQueue.open({ store: new MemoryQueueStore(), clock });
  const started = performance.now();
  for (let i = 0; i < count; i++) {
    if ((i & 1023) === 0) clock.time++;
    await queue.enqueue(pool[i & (POOL - 1)]!);
    await queue.ack(queue.dequeue(1)[0]!.entryId);
  }
  const seconds = (performance.now() - started) / 1000;
  await queue.close();
  return count / seconds;
}

/**
 * The baseline: the least a queue with acknowledgements must do, in plain code sharing nothing with the package
 * (an array of pending messages, a Map of delivered-but-unacknowledged ones, awaited enqueue and ack), in the same
 * batch pattern. A ring buffer's push/shift was the old baseline: a thousand times faster, so its ratio read 0.00.
 */
async function plainAckQueue(count: number, batch = BATCH): Promise<number> {
  const pending: Message[] = [];
  const inFlight = new Map<number, Message>();
  let nextId = 1;
  const enqueue = async (message: Message): Promise<void> => {
    pending.push(message);
  };
  const ack = async (id: number): Promise<boolean> => inFlight.delete(id);
  const enqueued: Promise<unknown>[] = new Array(batch);
  const acked: Promise<boolean>[] = new Array(batch);
  const started = performance.now();
  for (let done = 0; done < count; done += batch) {
    for (let i = 0; i < batch; i++) enqueued[i] = enqueue(pool[(done + i) & (POOL - 1)]!);
    await Promise.all(enqueued);
    const ids: number[] = [];
    for (const message of pending.splice(0, batch)) {
      inFlight.set(nextId, message);
      ids.push(nextId++);
    }
    for (let i = 0; i < ids.length; i++) acked[i] = ack(ids[i]!);
    await Promise.all(acked);
  }
  const seconds = (performance.now() - started) / 1000;
  if (inFlight.size !== 0 || pending.length !== 0) throw new Error('the plain queue lost track of messages');
  return count / seconds;
}

/** Median of {@link ROUNDS} runs: the machine is shared, single runs swing by tens of percent. */
async function median(measure: (count: number) => Promise<number>): Promise<number> {
  await measure(WARM_UP);
  const figures: number[] = [];
  for (let round = 0; round < ROUNDS; round++) figures.push(await measure(MESSAGES));
  figures.sort((a, b) => a - b);
  return figures[Math.floor(ROUNDS / 2)]!;
}

/** MemoryQueueStore + MessageQueue enqueue → dequeue → ack throughput on a million messages. */
export async function run(): Promise<BenchResult[]> {
  const plain = await median((count) => plainAckQueue(count));
  const plainOneByOne = await median((count) => plainAckQueue(count, 1));
  const virtual = await median((count) => batched(new SteppedClock(), count));
  const wall = await median((count) => batched(new WallClock(), count));
  const oneByOne = await median((count) => sequential(new SteppedClock(), count));
  const baseline = { name: 'a plain queue with acks (array + Map, awaited enqueue and ack)', value: plain };
  const million = MESSAGES.toLocaleString('en');
  return [
    {
      name: `queue-memory: enqueue → dequeue → ack, ${million} messages in batches of ${BATCH} (virtual clock)`,
      value: virtual,
      unit: 'msg/s',
      baseline,
      target: '>= 1,000,000 msg/s',
      note: `median of ${ROUNDS} runs after a warm-up; integer-millisecond clock, as in a stress run`,
    },
    {
      name: `queue-memory: the same on the wall clock (performance.now)`,
      value: wall,
      unit: 'msg/s',
      baseline,
      note: 'sub-millisecond timestamps are boxed doubles: about 10 more small allocations per message',
    },
    {
      name: `queue-memory: one message at a time (await enqueue, dequeue(1), await ack), ${million} messages`,
      value: oneByOne,
      unit: 'msg/s',
      baseline: { name: 'the plain queue, one message at a time', value: plainOneByOne },
      note: 'no batching: every record is its own store append',
    },
  ];
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  console.log(JSON.stringify(await run(), null, 2));
}
