import type fc from 'fast-check';
import { type ChaosSchedule, createWorkload, SeededRandom, type WorkloadOptions } from '../engine/index.ts';
import type { ChaosEventConstraints } from './chaos-event.ts';
import { type ChaosScheduleConstraints, chaosSchedule } from './chaos-schedule.ts';

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

/** Steps of the run's horizon a relative event time counts in, and agent slots a relative window may target. */
const TIME_STEPS = 10_000;
const AGENT_SLOTS = 1_000;

/**
 * Chaos placed within each case's own run, drawn independently of the workload: event times are drawn as a
 * share of the run's horizon and window agents as a share of its agents, then placed on the case's workload.
 * So a failing case shrinks its workload and its chaos alike: a crash at 40 % of a 9 x 100 run stays at 40 %
 * of a 1 x 3 run. `stressProperty` uses it by default; pass one to narrow the kinds or rates.
 */
export interface ChaosInRun {
  /** Schedules in relative units (times in 1/10,000ths of the horizon, agents as `Agent-1`..`Agent-1000` slots). */
  readonly relative: fc.Arbitrary<ChaosSchedule>;
  /** The schedule for one workload: times in ms within its horizon, agents among its own. */
  place(relative: ChaosSchedule, workload: WorkloadOptions): ChaosSchedule;
}

function agentIdsOf(options: WorkloadOptions): readonly string[] | number {
  const agents = options.agents ?? 9;
  return Array.isArray(agents) ? agents : (agents as number);
}

/**
 * Chaos within each case's run, shrinking with its workload (see {@link ChaosInRun}).
 * @example
 * stressProperty({ target, chaos: chaosInRun({ kinds: ['crash_restart', 'delivery_failure'] }) });
 */
export function chaosInRun(
  constraints: Omit<ChaosScheduleConstraints, 'horizonMs' | 'agents'> = {},
): ChaosInRun {
  const relative = chaosSchedule({ ...constraints, horizonMs: TIME_STEPS, agents: AGENT_SLOTS });
  const place = (schedule: ChaosSchedule, options: WorkloadOptions): ChaosSchedule => {
    if (schedule.events === undefined) return schedule;
    const { horizonMs = 4000 } = chaosWithinRun(options);
    const agents = agentIdsOf(options);
    const count = typeof agents === 'number' ? agents : agents.length;
    const agentAt = (slot: string): string => {
      const index = Math.floor(((Number(slot.slice('Agent-'.length)) - 1) * count) / AGENT_SLOTS);
      return typeof agents === 'number' ? `Agent-${index + 1}` : (agents[index] ?? slot);
    };
    return {
      ...schedule,
      events: schedule.events.map((event) => ({
        ...event,
        atMs: Math.round((event.atMs * horizonMs) / TIME_STEPS),
        ...('agent' in event && event.agent !== undefined ? { agent: agentAt(event.agent) } : {}),
      })) as ChaosSchedule['events'],
    };
  };
  return { relative, place };
}
