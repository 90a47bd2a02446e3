import type { Queue } from 'bullmq';
import type { TargetInspection } from '../engine/index.ts';
import { isBroadcast, type Message } from '../protocol/index.ts';

/** Job states that hold work not yet started. */
const WAITING = ['waiting', 'prioritized', 'delayed', 'waiting-children'] as const;

/** The run's queue: its jobs carry one message each. */
export type MessageQueue = Queue<Message, unknown, string, Message, unknown, string>;

/** Delivery units one job carries: one per recipient, every agent for a broadcast. */
export function unitsOf(message: Message | undefined, agents: number): number {
  if (message === undefined) return 1;
  return isBroadcast(message) ? agents : 1;
}

/** What Redis holds for the queue: jobs by state, and the delivery units in them. */
export interface QueueHoldings extends TargetInspection {
  /** Jobs waiting, prioritized, delayed, paused or active: zero means the queue is idle. */
  readonly jobs: number;
}

/**
 * Units in `count` jobs of `types`: one each, plus `agents - 1` for each broadcast among them. Only job ids are
 * read (and only when the run enqueued broadcasts), never job data, so a deep queue costs little to inspect.
 */
async function units(
  queue: MessageQueue,
  types: readonly string[],
  count: number,
  agents: number,
  broadcasts: ReadonlySet<string>,
): Promise<number> {
  if (count === 0 || broadcasts.size === 0 || agents <= 1) return count;
  const ids = await queue.getRanges(types as never, 0, -1);
  let extra = 0;
  for (const id of ids) if (broadcasts.has(id)) extra += agents - 1;
  return count + extra;
}

/**
 * Reads the queue's job counts from Redis and turns them into delivery units; `broadcasts` holds the ids of the
 * jobs that carry a broadcast.
 */
export async function readQueueHoldings(
  queue: MessageQueue,
  agents: number,
  broadcasts: ReadonlySet<string> = new Set(),
): Promise<QueueHoldings> {
  const counts = await queue.getJobCounts(...WAITING, 'active');
  const waiting = WAITING.reduce((sum, type) => sum + (counts[type] ?? 0), 0);
  const active = counts.active ?? 0;
  return {
    jobs: waiting + active,
    pending: await units(queue, WAITING, waiting, agents, broadcasts),
    processing: await units(queue, ['active'], active, agents, broadcasts),
  };
}
