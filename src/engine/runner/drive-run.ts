import type { Clock } from '../../protocol/index.ts';
import { runUntil, type YieldFunction } from '../clock/run-until.ts';
import { VirtualClock } from '../clock/virtual-clock.ts';
import type { DrainStatus } from './stress-report.ts';

/** What bounds a run's waits: the drain timeout, the caller's abort signal, and the virtual clock's pause. */
export interface RunLimits {
  readonly drainTimeoutMs: number;
  readonly signal?: AbortSignal | undefined;
  readonly yield?: YieldFunction | undefined;
}

/** The two phases {@link driveRun} waits for. */
export interface RunPhases {
  readonly clock: Clock;
  /** Settles when every message was sent and every enqueue settled. */
  readonly sending: Promise<void>;
  /** Starts the final drain: resolves when the target and the run's own work are idle. */
  readonly idle: () => Promise<void>;
  /** The span of intended send times; sending may take up to this plus the drain timeout. */
  readonly plannedMs: number;
  /** Called once sending is over, before the drain; returns the drain's budget in ms (at least the drain timeout). */
  readonly draining: () => number | undefined;
  readonly limits: RunLimits;
}

/**
 * Drives a run to its end: sending (bounded by the planned span plus the drain timeout), then the final drain
 * (bounded by the drain timeout). A virtual clock is advanced instant by instant; a real one is raced against
 * timers. Says how it ended.
 */
export async function driveRun(phases: RunPhases): Promise<DrainStatus> {
  const { clock, sending, idle, plannedMs, draining, limits } = phases;
  const { signal, drainTimeoutMs } = limits;
  if (clock instanceof VirtualClock) {
    const aborted = () => signal?.aborted === true;
    const sent = await runUntil(
      clock,
      raceAbort(sending, signal),
      untilOptions(plannedMs + drainTimeoutMs, limits),
    );
    if (aborted()) return 'aborted';
    if (sent.status !== 'done') return sent.status === 'idle' ? 'stalled' : 'timeout';
    const budgetMs = Math.max(drainTimeoutMs, draining() ?? 0);
    const drained = await runUntil(clock, raceAbort(idle(), signal), untilOptions(budgetMs, limits));
    if (aborted()) return 'aborted';
    return drained.status === 'done' ? 'drained' : drained.status === 'idle' ? 'stalled' : 'timeout';
  }
  // Sending is bounded like the virtual run's: a target whose enqueue never settles must not hang the run.
  let sendTimer: ReturnType<Clock['setTimer']> | undefined;
  const sendLimit = new Promise<'timeout'>((resolve) => {
    sendTimer = clock.setTimer(plannedMs + drainTimeoutMs, () => resolve('timeout'));
  });
  const sent = await raceAbort(
    Promise.race([sending.then(() => 'sent' as const), sendLimit]),
    signal,
  ).finally(() => {
    if (sendTimer) clock.clearTimer(sendTimer);
  });
  if (signal?.aborted) return 'aborted';
  if (sent === 'timeout') return 'timeout';
  const budgetMs = Math.max(drainTimeoutMs, draining() ?? 0);
  let timer: ReturnType<Clock['setTimer']> | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = clock.setTimer(budgetMs, () => resolve('timeout'));
  });
  const drained = idle().then(() => 'drained' as const);
  const aborted = raceAbort(timeout, signal).then(() =>
    signal?.aborted ? ('aborted' as const) : ('timeout' as const),
  );
  try {
    return await Promise.race([drained, timeout, aborted]);
  } finally {
    if (timer) clock.clearTimer(timer);
  }
}

/** Waits for `work` on the run's clock, at most the drain timeout; false if it did not finish. */
export async function finishesWithin(
  clock: Clock,
  work: Promise<unknown>,
  limits: RunLimits,
): Promise<boolean> {
  let finished = false;
  const done = work.then(
    () => {
      finished = true;
    },
    () => {
      finished = true;
    },
  );
  if (clock instanceof VirtualClock) {
    await runUntil(clock, done, untilOptions(limits.drainTimeoutMs, limits));
    return finished;
  }
  let timer: ReturnType<Clock['setTimer']> | undefined;
  await Promise.race([
    done,
    new Promise<void>((resolve) => (timer = clock.setTimer(limits.drainTimeoutMs, resolve))),
  ]);
  if (timer) clock.clearTimer(timer);
  return finished;
}

function untilOptions(maxVirtualMs: number, limits: RunLimits) {
  return limits.yield ? { maxVirtualMs, yield: limits.yield } : { maxVirtualMs };
}

function raceAbort(work: Promise<unknown>, signal: AbortSignal | undefined): Promise<unknown> {
  if (!signal) return work;
  if (signal.aborted) return Promise.resolve();
  return Promise.race([
    work,
    new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true })),
  ]);
}
