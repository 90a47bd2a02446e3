import type { ChaosEvent } from '../chaos/chaos-schedule.ts';
import type { TimelineRecorder } from '../metrics/timeline-recorder.ts';
import type { AssembledRun } from './assemble-run.ts';
import { driveRun, finishesWithin, type RunLimits } from './drive-run.ts';
import { scheduleRunEvents } from './run-events.ts';
import type { DrainStatus } from './stress-report.ts';
import type { StressProgress } from './stress-runner.ts';
import type { StressTarget, TargetInspection } from './stress-target.ts';
import { WorkloadSender } from './workload-sender.ts';

/** How the run went, for the verdict: how the drain ended, what the target still held, what was refused. */
export interface ExecutedRun {
  readonly drain: DrainStatus;
  /** What `inspect()` reported after the drain. */
  readonly left: TargetInspection;
  readonly sender: WorkloadSender;
}

/**
 * Runs an assembled run: sends the workload on its schedule while the chaos events fire, drains the target
 * within the budget, records the chaos events on the timeline and closes the target.
 */
export async function executeRun(
  run: AssembledRun,
  onProgress: (progress: StressProgress) => void,
): Promise<ExecutedRun> {
  const { clock, workload, agents, ledger, metrics, timeline, chaos, target, warnings, adapterFaults } = run;
  const r = run.resolved;
  const o = r.options;
  const total = workload.totalMessages;
  const step = Math.max(1, Math.floor(total / 100));
  const progress = (phase: StressProgress['phase'], sent: number): void => {
    onProgress({ sent, total, now: clock.now(), phase });
  };
  const messages = workload.messages();
  let down = false;
  const sender = new WorkloadSender({
    messages,
    clock,
    agents,
    ledger,
    metrics,
    timeline,
    target: () => target,
    targetDown: () => down,
    injectedStoreFaults: () => chaos.count('store_write_failure'),
    onSent: (sent) => {
      if (sent % step === 0) progress('sending', sent);
    },
    signal: o.signal,
  });
  const tracked = new Set<Promise<void>>();
  const runEvents = scheduleRunEvents({
    clock,
    chaos,
    target,
    takeNext: () => messages.take(),
    send: (message) => sender.send(message),
    afterBurst: () => sender.sampleDepth(),
    warn: (text) => warnings.push(text),
    setDown: (value) => {
      down = value;
    },
    track: (work) => {
      const settled = work.catch((error: unknown) => {
        warnings.push(`chaos event failed: ${(error as Error)?.message ?? String(error)}`);
      });
      tracked.add(settled);
      void settled.then(() => tracked.delete(settled));
    },
  });
  const settleTracked = async (): Promise<void> => {
    while (tracked.size > 0) await Promise.all(tracked);
  };

  const sending = (async () => {
    await sender.run();
    await settleTracked();
  })();
  const limits: RunLimits = { drainTimeoutMs: r.drainTimeoutMs, signal: o.signal, yield: o.yield };
  const drain = await driveRun({
    clock,
    sending,
    idle: async () => {
      try {
        await target.whenIdle();
      } catch (error) {
        // An adapter fault is a finding: the run must not pass with units left pending.
        adapterFaults.push(`target.whenIdle() rejected: ${(error as Error)?.message ?? String(error)}`);
      }
      await settleTracked();
    },
    plannedMs: workload.plannedDurationMs,
    draining: () => {
      progress('draining', sender.sent);
      return drainBudgetMs(target, r.drainTimeoutMs, r.drainTimeoutFixed, warnings);
    },
    limits,
  });
  // Events planned past the end would otherwise fire while the target closes, or silently never.
  const unfired = runEvents.cancel();
  recordChaosEvents(
    timeline,
    chaos.schedule.events,
    unfired,
    clock.now(),
    Boolean(target.crash && target.restart),
  );
  for (const event of unfired) {
    warnings.push(
      `chaos ${event.kind} at ${event.atMs} ms never fired: the run ended at ${Math.round(clock.now())} ms`,
    );
  }
  progress('done', sender.sent);
  const left = target.inspect();
  const closing = Promise.resolve()
    .then(() => target.close())
    .catch((error: unknown) => {
      adapterFaults.push(`target.close() threw: ${(error as Error)?.message ?? String(error)}`);
    });
  if (!(await finishesWithin(clock, closing, limits)))
    warnings.push('target.close() did not finish within the drain timeout');
  return { drain, left, sender };
}

// Timed chaos events on the run clock: windows last their duration (cut at the run's end), a burst is an
// instant, a crash lasts until the restart; events that never fired or were skipped are left out.
function recordChaosEvents(
  timeline: TimelineRecorder,
  events: readonly ChaosEvent[],
  unfired: readonly ChaosEvent[],
  endMs: number,
  canCrash: boolean,
): void {
  for (const event of events) {
    if (unfired.includes(event) || event.atMs > endMs) continue;
    if (event.kind === 'crash_restart' && !canCrash) continue;
    const end = Math.min(endMs, event.atMs + (event.durationMs ?? 0));
    timeline.chaosEvent(event.kind, event.atMs, end, event.agent);
  }
}

/** The final drain's budget: the drain timeout, extended to the target's declared settle time unless the caller fixed it. */
function drainBudgetMs(
  target: StressTarget,
  drainTimeoutMs: number,
  fixed: boolean,
  warnings: string[],
): number {
  if (fixed || typeof target.settleTimeMs !== 'function') return drainTimeoutMs;
  const declared = target.settleTimeMs(target.inspect());
  if (typeof declared !== 'number' || !Number.isFinite(declared) || declared < 0) {
    warnings.push(
      `target.settleTimeMs() returned ${String(declared)}, not a finite number of ms; the drain timeout applies`,
    );
    return drainTimeoutMs;
  }
  return Math.max(drainTimeoutMs, declared);
}
