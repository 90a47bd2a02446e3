import { runUntil, VirtualClock } from '../../engine/index.ts';
import type { MessagingCore } from '../../protocol/index.ts';
import { MemoryQueueStore } from '../../queue/index.ts';
import { checkMessage } from './check-message.ts';
import { describeUnfinished, driveCheck } from './drive-check.ts';
import type { QueueCheck, QueueCheckOutcome } from './queue-check.ts';

const AGENTS = ['Agent-1', 'Agent-2'];
const BURST = 100;
const YIELD_EVERY = 50;

/**
 * Times, on the wall clock, enqueueing `throughputMessages` messages and then processing them (dequeue,
 * deliver through an instant core, ack). Each phase stops at its time budget, so a slow queue fails quickly
 * with the rate it reached.
 */
export const checkThroughput: QueueCheck = async ({ subject, limits }): Promise<QueueCheckOutcome> => {
  const total = limits.throughputMessages;
  const clock = new VirtualClock();
  let delivered = 0;
  const core: MessagingCore = {
    deliver: async () => {
      delivered++;
      // An instant core keeps the whole run in microtasks; a macrotask now and then lets the budget apply.
      if (delivered % YIELD_EVERY === 0) await new Promise((resolve) => setImmediate(resolve));
      return true;
    },
  };
  const queue = await subject.openQueue({ store: new MemoryQueueStore(), clock, capacity: total + 1 });
  const failures: string[] = [];
  let enqueued = 0;
  const enqueueStart = performance.now();
  const enqueueDeadline = enqueueStart + limits.throughputBudgetMs;
  const enqueuing = await driveCheck(
    clock,
    async () => {
      while (enqueued < total && performance.now() < enqueueDeadline) {
        const burst: Promise<unknown>[] = [];
        const end = Math.min(total, enqueued + BURST);
        for (let index = enqueued; index < end; index++) {
          burst.push(queue.enqueue(checkMessage({ index, prefix: 'tput' })));
        }
        await Promise.all(burst);
        enqueued = end;
      }
    },
    3_600_000,
  );
  if (enqueuing.status !== 'done') failures.push(describeUnfinished(enqueuing, 'Enqueueing'));
  const enqueueMs = performance.now() - enqueueStart;
  const processor = subject.createProcessor({
    queue,
    messagingCore: core,
    clock,
    agents: AGENTS,
    batchSize: 10,
    concurrency: 4,
  });
  let idle = false;
  void queue.whenIdle().then(
    () => {
      idle = true;
    },
    () => undefined,
  );
  const processStart = performance.now();
  const processDeadline = processStart + limits.throughputBudgetMs;
  const running = processor.run();
  await runUntil(clock, () => idle || performance.now() > processDeadline, { maxVirtualMs: 3_600_000 });
  const processMs = performance.now() - processStart;
  await processor.stop();
  await running.catch(() => undefined);
  await queue.close();
  const enqueueRate = enqueued / (enqueueMs / 1000);
  const processRate = delivered / (processMs / 1000);
  const floor = limits.minThroughput;
  if (enqueueRate < floor) {
    failures.push(
      `Enqueued ${Math.round(enqueueRate)} msg/s (${enqueued} in ${Math.round(enqueueMs)} ms), below the floor of ${floor} msg/s.`,
    );
  }
  if (processRate < floor) {
    failures.push(
      `Processed ${Math.round(processRate)} msg/s (${delivered} in ${Math.round(processMs)} ms), below the floor of ${floor} msg/s.`,
    );
  }
  return {
    name: 'throughput',
    ok: failures.length === 0,
    summary: `enqueue ${Math.round(enqueueRate)} msg/s, process ${Math.round(processRate)} msg/s (floor ${floor})`,
    failures,
    measured: {
      messages: total,
      enqueued,
      delivered,
      enqueue_ms: Math.round(enqueueMs * 1000) / 1000,
      process_ms: Math.round(processMs * 1000) / 1000,
      enqueue_per_second: Math.round(enqueueRate),
      process_per_second: Math.round(processRate),
      floor_per_second: floor,
    },
  };
};
