import { VirtualClock } from '../../engine/index.ts';
import type { MessagingCore } from '../../protocol/index.ts';
import { MemoryQueueStore } from '../../queue/index.ts';
import { checkMessage } from './check-message.ts';
import { describeUnfinished, driveCheck } from './drive-check.ts';
import { settledHeapBytes } from './heap-meter.ts';
import type { QueueCheck, QueueCheckOutcome } from './queue-check.ts';
import type { QueueSubject } from './queue-subject.ts';
import { withProcessor } from './with-processor.ts';

const AGENTS = ['Agent-1', 'Agent-2'];
const CHUNK = 500;
const CONTENT_BYTES = 128;
const MB = 1024 * 1024;

const instantCore: MessagingCore = { deliver: async () => true };

/**
 * Heap per live entry: a backlog enqueued and not processed. A function of its own, so the backlog is
 * unreachable once it returns and cannot blur the retained-heap measurement that follows.
 */
async function bytesPerLiveEntry(subject: QueueSubject, clock: VirtualClock, live: number): Promise<number> {
  const queue = await subject.openQueue({ store: new MemoryQueueStore(), clock, capacity: live + 1 });
  const before = settledHeapBytes();
  for (let from = 0; from < live; from += CHUNK) {
    const burst: Promise<unknown>[] = [];
    for (let index = from; index < Math.min(live, from + CHUNK); index++) {
      burst.push(queue.enqueue(checkMessage({ index, prefix: 'live', contentBytes: CONTENT_BYTES })));
    }
    await Promise.all(burst);
  }
  const perEntry = (settledHeapBytes() - before) / live;
  await queue.close();
  return perEntry;
}

/**
 * Measures the heap twice: per live entry (a backlog enqueued and not yet processed) and retained after
 * processing `memoryMessages` messages in chunks, scaled to 100k messages. A queue that keeps delivered
 * messages grows without bound, which is what the original's 100 MB RSS test could not tell from noise.
 */
export const checkMemoryBounds: QueueCheck = async ({ subject, limits }): Promise<QueueCheckOutcome> => {
  const failures: string[] = [];
  const total = limits.memoryMessages;
  const live = Math.min(total, 20_000);
  const clock = new VirtualClock();
  let perEntry = 0;
  let retained = 0;
  let processed = 0;
  const rssBefore = process.memoryUsage().rss;
  const run = await driveCheck(
    clock,
    async () => {
      perEntry = await bytesPerLiveEntry(subject, clock, live);
      await withProcessor(
        subject,
        { clock, core: instantCore, capacity: CHUNK + 1, agents: AGENTS, batchSize: 100, concurrency: 4 },
        async (queue, processor) => {
          const start = settledHeapBytes();
          for (let from = 0; from < total; from += CHUNK) {
            const burst: Promise<unknown>[] = [];
            for (let index = from; index < Math.min(total, from + CHUNK); index++) {
              burst.push(queue.enqueue(checkMessage({ index, prefix: 'mem', contentBytes: CONTENT_BYTES })));
            }
            await Promise.all(burst);
            await processor.drain();
            processed = Math.min(total, from + CHUNK);
          }
          retained = settledHeapBytes() - start;
        },
      );
    },
    3_600_000,
  );
  if (run.status !== 'done') failures.push(describeUnfinished(run, 'Processing the memory workload'));
  const retainedPer100k = processed > 0 ? (Math.max(0, retained) * 100_000) / processed : 0;
  if (retainedPer100k > limits.maxRetainedBytesPer100k) {
    failures.push(
      `The heap grew by ${(retainedPer100k / MB).toFixed(1)} MB per 100k messages processed and kept it ` +
        `(limit ${(limits.maxRetainedBytesPer100k / MB).toFixed(1)} MB): delivered messages are retained.`,
    );
  }
  if (perEntry > limits.maxBytesPerEntry) {
    failures.push(
      `Each live entry costs ${Math.round(perEntry)} bytes of heap (limit ${limits.maxBytesPerEntry}).`,
    );
  }
  return {
    name: 'memory_bounds',
    ok: failures.length === 0,
    summary:
      `${(retainedPer100k / MB).toFixed(2)} MB retained per 100k processed, ` +
      `${Math.round(perEntry)} B per live entry`,
    failures,
    measured: {
      messages: processed,
      live_entries: live,
      retained_bytes: Math.round(retained),
      retained_bytes_per_100k: Math.round(retainedPer100k),
      bytes_per_live_entry: Math.round(perEntry),
      rss_delta_bytes: process.memoryUsage().rss - rssBefore,
    },
  };
};
