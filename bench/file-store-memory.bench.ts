import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Clock, Message, TimerHandle } from '../src/protocol/index.ts';
import { FileQueueStore } from '../src/queue/file-store/file-queue-store.ts';
import { MessageQueue } from '../src/queue/index.ts';
import type { BenchResult } from './bench-result.ts';

const PENDING = 100_000;

const clock: Clock = {
  now: () => 0,
  setTimer: (): TimerHandle => ({ id: 0 }),
  clearTimer: () => undefined,
  sleep: () => Promise.resolve(),
};

const messageOf = (i: number): Message => ({
  id: `m-${i}`,
  content: `Test message ${i}`,
  sender: 'SYSTEM',
  senderKind: 'system',
  recipient: `Agent-${(i % 9) + 1}`,
  recipientKind: 'agent',
  type: 'system_to_agent',
  priority: 'regular',
  tags: ['system'],
  metadata: { test: true, n: i },
  createdAt: 0,
});

const rssMb = (): number => {
  (globalThis as { gc?: () => void }).gc?.();
  return process.memoryUsage().rss / 2 ** 20;
};

/** Resident memory of a process whose MessageQueue over a FileQueueStore holds 100,000 pending entries. */
export async function run(): Promise<BenchResult[]> {
  const directory = await mkdtemp(join(tmpdir(), 'vitest-stress-bench-'));
  try {
    const before = rssMb();
    const queue = await MessageQueue.open({
      store: new FileQueueStore({ directory }),
      clock,
      capacity: PENDING,
    });
    let next = 0;
    const producer = async (): Promise<void> => {
      while (next < PENDING) await queue.enqueue(messageOf(++next));
    };
    await Promise.all(Array.from({ length: 32 }, producer));
    const after = rssMb();
    if (queue.stats().pending !== PENDING) throw new Error('bench lost entries');
    await queue.close();
    return [
      {
        name: `file-store memory: RSS with ${PENDING.toLocaleString('en')} pending (MessageQueue over FileQueueStore)`,
        value: after,
        unit: 'MB',
        baseline: { name: 'RSS before opening the queue', value: before },
        target: '<= 200 MB',
        note: 'after a forced GC (node --expose-gc)',
      },
    ];
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  console.log(JSON.stringify(await run(), null, 2));
}
