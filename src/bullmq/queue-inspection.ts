import type { Job, Queue } from 'bullmq';
import type { TargetInspection } from '../engine/index.ts';
import { isBroadcast, type Message } from '../protocol/index.ts';

/** Job states that hold work not yet started. */
const WAITING = ['waiting', 'prioritized', 'delayed', 'waiting-children'] as const;

/** The run's queue: its jobs carry one message each. */
export type MessageQueue = Queue<Message, unknown, string, Message, unknown, string>;

/** Above this many jobs, units are estimated from job counts instead of reading every job. */
const READ_LIMIT = 2_000;

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

async function units(queue: MessageQueue, types: readonly string[], count: number, agents: number) {
  if (count === 0) return 0;
  if (count > READ_LIMIT) return count;
  const jobs = (await queue.getJobs(types as never, 0, READ_LIMIT - 1)) as Job<Message>[];
  return jobs.reduce((sum, job) => sum + unitsOf(job?.data, agents), 0);
}

/** Reads the queue's job counts from Redis and turns them into delivery units (read job by job when few). */
export async function readQueueHoldings(queue: MessageQueue, agents: number): Promise<QueueHoldings> {
  const counts = await queue.getJobCounts(...WAITING, 'active');
  const waiting = WAITING.reduce((sum, type) => sum + (counts[type] ?? 0), 0);
  const active = counts.active ?? 0;
  return {
    jobs: waiting + active,
    pending: await units(queue, WAITING, waiting, agents),
    processing: await units(queue, ['active'], active, agents),
  };
}
