import { createWorkload, SeededRandom, type WorkloadOptions } from '../engine/index.ts';
import type { ChaosEventConstraints } from './chaos-event.ts';

/** The workload fields that decide when a run sends (everything else does not move its horizon). */
const TIMING_KEYS = ['agents', 'messagesPerAgent', 'typeMix', 'priorityMix', 'arrival'] as const;

/**
 * When a case's timed chaos may start: within the span of the workload's planned send times (at least 1 ms),
 * so a crash or a fault window lands inside the run instead of after it. `options` may carry other run
 * options; only the workload's timing fields are read. Throws on an invalid workload, as the run would.
 * @example
 * runHorizonMs({ agents: 2, messagesPerAgent: 10 }); // 400: 10 deliveries per agent at 25/s
 */
export function runHorizonMs(options: WorkloadOptions): number {
  const timing: Record<string, unknown> = {};
  for (const key of TIMING_KEYS) if (options[key] !== undefined) timing[key] = options[key];
  const workload = createWorkload(timing as WorkloadOptions, new SeededRandom(0));
  return Math.max(1, Math.ceil(workload.plannedDurationMs));
}

/** Chaos event constraints for one case's workload: its horizon and its agents (the defaults when it is invalid). */
export function chaosWithinRun(options: WorkloadOptions): ChaosEventConstraints {
  let horizonMs: number;
  try {
    horizonMs = runHorizonMs(options);
  } catch {
    // An invalid workload: the engine refuses it with its coded error when the case runs; keep the defaults.
    return {};
  }
  return { horizonMs, agents: options.agents ?? 9 };
}
