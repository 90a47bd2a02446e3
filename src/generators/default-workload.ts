import fc from 'fast-check';
import type { WorkloadOptions } from '../engine/index.ts';

// Types whose sender is another agent: a run with them needs at least two agents.
const AGENT_SENT = ['text', 'agent_to_agent', 'multi_agent_request'] as const;

/** Generates `start` every time, and shrinks like `inner` (towards its minimum). */
class StartsAt extends fc.Arbitrary<number> {
  constructor(
    private readonly inner: fc.Arbitrary<number>,
    private readonly start: number,
  ) {
    super();
  }

  generate(): fc.Value<number> {
    return new fc.Value(this.start, undefined);
  }

  canShrinkWithoutContext(value: unknown): value is number {
    return this.inner.canShrinkWithoutContext(value);
  }

  shrink(value: number, context: unknown): fc.Stream<fc.Value<number>> {
    return this.inner.shrink(value, context);
  }
}

/**
 * The workload of a property that does not generate one: always the fixed options' own size (the default
 * 9 agents x 100 deliveries), so every case tests the run the user asked for, but a failing case shrinks
 * towards fewer agents and fewer deliveries per agent, down to the smallest that still fails. Explicit agent
 * ids are kept as they are (only the deliveries shrink).
 * @example
 * fc.sample(defaultWorkload({}), 1); // [{ agents: 9, messagesPerAgent: 100 }]
 */
export function defaultWorkload(fixed: WorkloadOptions): fc.Arbitrary<WorkloadOptions> {
  const perAgent = fixed.messagesPerAgent ?? 100;
  const agentCount = fixed.agents ?? 9;
  // Invalid sizes are left to the engine, which refuses them with a coded error on the first case.
  const valid = (n: unknown): boolean => typeof n === 'number' && Number.isSafeInteger(n) && n >= 1;
  if (!valid(perAgent) || (typeof agentCount !== 'object' && !valid(agentCount))) return fc.constant({});
  const messagesPerAgent = new StartsAt(fc.integer({ min: 1, max: perAgent }), perAgent);
  if (typeof agentCount === 'object') return fc.record({ messagesPerAgent });
  const mix = fixed.typeMix ?? {};
  const minAgents = Math.min(agentCount, AGENT_SENT.some((type) => (mix[type] ?? 0) > 0) ? 2 : 1);
  const agents = new StartsAt(fc.integer({ min: minAgents, max: agentCount }), agentCount);
  return fc.record({ agents, messagesPerAgent });
}
