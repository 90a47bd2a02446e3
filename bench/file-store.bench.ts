import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Message } from '../src/protocol/index.ts';
import { FileQueueStore } from '../src/queue/file-store/file-queue-store.ts';
import type { QueueEntry } from '../src/queue/queue-entry.ts';
import type { BenchResult } from './bench-result.ts';

const MESSAGES = 50_000;
const BASELINE_MESSAGES = 2_000;
const PRODUCERS = [8, 32, 64] as const;

const message: Message = {
  id: 'm-0',
  content: 'Test message 0',
  sender: 'SYSTEM',
  senderKind: 'system',
  recipient: 'Agent-1',
  recipientKind: 'agent',
  type: 'system_to_agent',
  priority: 'regular',
  tags: ['system'],
  metadata: { test: true },
  createdAt: 0,
};

function entryOf(sequence: number): QueueEntry {
  return {
    entryId: `e${sequence}`,
    sequence,
    message: { ...message, id: `m-${sequence}` },
    status: 'pending',
    attempts: 0,
    deliveredTo: [],
    enqueuedAt: sequence,
    availableAt: sequence,
  };
}

interface Measured {
  readonly perSecond: number;
  readonly syncsPerMessage: number;
}

/**
 * `producers` concurrent loops, each durably enqueueing one message (await append) then durably acking it
 * (await append): two fsynced appends per message, shared between producers by group commit.
 */
async function durableThroughput(count: number, producers: number, maxBatch?: number): Promise<Measured> {
  const directory = await mkdtemp(join(tmpdir(), 'vitest-stress-bench-'));
  try {
    const store = new FileQueueStore(maxBatch === undefined ? { directory } : { directory, maxBatch });
    await store.open();
    let next = 0;
    const producer = async (): Promise<void> => {
      while (next < count) {
        const sequence = ++next;
        await store.append([{ op: 'enqueue', entry: entryOf(sequence) }]);
        await store.append([{ op: 'ack', entryId: `e${sequence}`, at: sequence }]);
      }
    };
    const started = performance.now();
    await Promise.all(Array.from({ length: producers }, producer));
    const seconds = (performance.now() - started) / 1000;
    const { syncs, records } = store.stats;
    await store.close();
    if (records !== 2 * count) throw new Error(`bench lost records: ${records} of ${2 * count}`);
    return { perSecond: count / seconds, syncsPerMessage: syncs / count };
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
}

const DEPTH_APPENDS = 20_000;
const PREFILL_BATCH = 4096;

/**
 * Durable single-record appends (32 producers, group commit) into a store already holding `pending` live
 * entries, written in big batches first; snapshots happen at their default pace while it runs.
 */
async function appendsAtDepth(pending: number): Promise<number> {
  const directory = await mkdtemp(join(tmpdir(), 'vitest-stress-bench-'));
  try {
    const store = new FileQueueStore({ directory });
    await store.open();
    for (let from = 1; from <= pending; from += PREFILL_BATCH) {
      const to = Math.min(pending, from + PREFILL_BATCH - 1);
      const batch = [];
      for (let sequence = from; sequence <= to; sequence++)
        batch.push({ op: 'enqueue' as const, entry: entryOf(sequence) });
      await store.append(batch);
    }
    let next = pending;
    const last = pending + DEPTH_APPENDS;
    const producer = async (): Promise<void> => {
      while (next < last) {
        const sequence = ++next;
        await store.append([{ op: 'enqueue', entry: entryOf(sequence) }]);
      }
    };
    const started = performance.now();
    await Promise.all(Array.from({ length: 32 }, producer));
    const seconds = (performance.now() - started) / 1000;
    await store.close();
    return DEPTH_APPENDS / seconds;
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
}

/** FileQueueStore durable enqueue + ack throughput with group commit, against one fsync per append. */
export async function run(): Promise<BenchResult[]> {
  await durableThroughput(5_000, 32);
  const shallow = await appendsAtDepth(1_000);
  const deep = await appendsAtDepth(400_000);
  const alone = await durableThroughput(BASELINE_MESSAGES, 1, 1);
  const baseline = {
    name: `one producer, every append fsynced alone (${BASELINE_MESSAGES.toLocaleString('en')} messages)`,
    value: alone.perSecond,
  };
  const results: BenchResult[] = [
    {
      name: `file-store: durable appends at 400,000 pending, 32 producers, ${DEPTH_APPENDS.toLocaleString('en')} appends`,
      value: deep,
      unit: 'msg/s',
      baseline: { name: 'the same at 1,000 pending', value: shallow },
      target: 'ratio >= 0.8',
      note: 'snapshots spaced by the size of the last one',
    },
  ];
  for (const producers of PRODUCERS) {
    const measured = await durableThroughput(MESSAGES, producers);
    results.push({
      name: `file-store: durable enqueue + ack, ${producers} producers, ${MESSAGES.toLocaleString('en')} messages`,
      value: measured.perSecond,
      unit: 'msg/s',
      baseline,
      target: '>= 20,000 msg/s',
      note: `group commit: ${measured.syncsPerMessage.toFixed(3)} fsyncs per message (baseline 2); snapshot every 10,000 records`,
    });
  }
  return results;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  console.log(JSON.stringify(await run(), null, 2));
}
