import type { ResolvedBullmqTargetOptions } from './bullmq-target-options.ts';

/** BullMQ's own defaults for the settings the run's timing follows from. */
const DEFAULTS = { lockDuration: 30_000, stalledInterval: 30_000, maxStalledCount: 1, attempts: 1 };

/** Slack on top of what the worker's settings call for: reconnects, a restarted broker loading its data. */
const MARGIN_MS = 5_000;

/** How long a BullMQ worker can take to finish what it holds, from its own settings (all in ms of real time). */
export interface BullmqTiming {
  readonly lockDurationMs: number;
  readonly stalledIntervalMs: number;
  readonly maxStalledCount: number;
  readonly attempts: number;
  /** The longest a job waits between its attempts, all retries added up (custom backoffs count as 0). */
  readonly backoffTotalMs: number;
  /** Worst case before a job abandoned by a dead worker runs again: its lock expires, then a stalled check. */
  readonly stalledRecoveryMs: number;
  /** The drain timeout the run gets when it sets none: two stalled recoveries, every backoff, and a margin. */
  readonly drainTimeoutMs: number;
}

function backoffTotal(attempts: number, backoff: unknown): number {
  if (attempts <= 1 || backoff === undefined) return 0;
  if (typeof backoff === 'number') return (attempts - 1) * backoff;
  const { type, delay } = backoff as { type?: unknown; delay?: unknown };
  if (typeof delay !== 'number') return 0;
  if (type === 'fixed') return (attempts - 1) * delay;
  // BullMQ's exponential backoff waits delay * 2^(n-1) before retry n.
  if (type === 'exponential') return delay * (2 ** (attempts - 1) - 1);
  return 0;
}

/** Derives the run's timing from the worker and job settings the user gave (BullMQ defaults otherwise). */
export function bullmqTiming(options: ResolvedBullmqTargetOptions): BullmqTiming {
  const worker = options.worker;
  const job = options.queue.defaultJobOptions ?? {};
  const lockDurationMs = worker.lockDuration ?? DEFAULTS.lockDuration;
  const stalledIntervalMs = worker.stalledInterval ?? DEFAULTS.stalledInterval;
  const attempts = job.attempts ?? DEFAULTS.attempts;
  const backoffTotalMs = backoffTotal(attempts, job.backoff);
  const stalledRecoveryMs = lockDurationMs + stalledIntervalMs;
  return {
    lockDurationMs,
    stalledIntervalMs,
    maxStalledCount: worker.maxStalledCount ?? DEFAULTS.maxStalledCount,
    attempts,
    backoffTotalMs,
    stalledRecoveryMs,
    drainTimeoutMs: 2 * stalledRecoveryMs + backoffTotalMs + MARGIN_MS,
  };
}
