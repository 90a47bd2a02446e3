import {
  type ChaosSchedule,
  createWorkload,
  describeChaosSchedule,
  SeededRandom,
  validateChaosSchedule,
  type WorkloadOptions,
} from '../engine/index.ts';
import { MESSAGE_TYPES } from '../protocol/index.ts';

/** One generated case of a stress property (JSON-plain): the engine seed, the workload and the chaos. */
export interface StressCase {
  /** The engine's seed for this case (not fast-check's). */
  readonly seed: number;
  readonly workload: WorkloadOptions;
  readonly chaos: ChaosSchedule;
}

const percent = (share: number): string => `${Number((share * 100).toPrecision(3))}%`;

/**
 * A one-line summary of workload options, e.g.
 * `9 agents x 100 deliveries (900 deliveries, 700 messages); mix system_to_agent 50%, broadcast 25%,
 * onboarding 25%; urgent 10%; arrival open 25/s per agent (constant)`. Throws on invalid options.
 */
export function describeWorkload(options: WorkloadOptions): string {
  const workload = createWorkload(options, new SeededRandom(0));
  const o = workload.options;
  const mix = MESSAGE_TYPES.filter((type) => o.typeMix[type] > 0)
    .map((type) => `${type} ${percent(o.typeMix[type])}`)
    .join(', ');
  const a = o.arrival;
  const arrival =
    a.kind === 'open'
      ? `open ${a.ratePerAgent}/s per agent (${a.process})`
      : a.size === undefined
        ? 'burst (all at once)'
        : `burst of ${a.size} every ${a.gapMs} ms`;
  const agents = `${o.agents.length} agent${o.agents.length === 1 ? '' : 's'}`;
  return (
    `${agents} x ${o.messagesPerAgent} deliveries (${workload.plannedDeliveries} deliveries, ` +
    `${workload.totalMessages} messages); mix ${mix}; urgent ${percent(o.priorityMix.urgent)}; arrival ${arrival}`
  );
}

/** A readable summary of a case for failure reports: seed, workload and chaos, one line each. */
export function describeStressCase(stressCase: StressCase): string {
  return [
    `seed: ${stressCase.seed}`,
    `workload: ${describeWorkload(stressCase.workload)}`,
    `chaos: ${describeChaosSchedule(validateChaosSchedule(stressCase.chaos))}`,
  ].join('\n');
}
