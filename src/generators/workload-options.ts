import fc from 'fast-check';
import type { Mix, WorkloadOptions } from '../engine/index.ts';
import { invalidOption, type MessageType } from '../protocol/index.ts';
import { type ArrivalModelConstraints, arrivalModel } from './arrival-model.ts';
import { messageMix } from './message-mix.ts';

/** Constraints of {@link workloadOptions}; they keep generated runs small enough to run by the hundred. */
export interface WorkloadOptionsConstraints {
  /** @default 1 */
  readonly minAgents?: number;
  /** @default 9 */
  readonly maxAgents?: number;
  /** Most deliveries (agents x messagesPerAgent) one run may plan. @default 1000 */
  readonly maxDeliveries?: number;
  /** Types a generated mix may use. @default every message type */
  readonly types?: readonly MessageType[];
  /** Generate the urgent share too (else the engine's default of 10%). @default true */
  readonly priorities?: boolean;
  /** Generate arrival models (else the engine's default open stream), within these bounds. @default true */
  readonly arrival?: boolean | ArrivalModelConstraints;
}

// Types whose sender is another agent; a single-agent run cannot have them.
const AGENT_SENT: readonly MessageType[] = ['text', 'agent_to_agent', 'multi_agent_request'];

function count(value: unknown, fallback: number, min: number, max: number, path: string): number {
  const resolved = value ?? fallback;
  if (typeof resolved !== 'number' || !Number.isInteger(resolved) || resolved < min || resolved > max) {
    throw invalidOption(path, `an integer from ${min} to ${max}`, resolved);
  }
  return resolved;
}

/** Moves the shares of agent-sent types to another type, so a single-agent run stays valid. */
function withoutAgentSent(mix: Mix<MessageType>): Mix<MessageType> {
  let moved = 0;
  const kept: Mix<MessageType> = {};
  for (const [type, share] of Object.entries(mix) as Array<[MessageType, number]>) {
    if (AGENT_SENT.includes(type)) moved += share;
    else kept[type] = share;
  }
  if (moved === 0) return mix;
  const target = (Object.keys(kept)[0] as MessageType | undefined) ?? 'system_to_agent';
  // Float sums can overshoot (0.6 + 0.4 = 1.0000000000000002), and the engine refuses a share above 1; the
  // clamped mix still sums to 1 within the engine's tolerance, so every generated mix is valid by construction.
  kept[target] = Math.min(1, (kept[target] ?? 0) + moved);
  return kept;
}

/**
 * Workload options (JSON-plain) for small runs: 1-9 agents, at most 1,000 deliveries, a generated type mix,
 * urgent share and arrival model. Shrinks towards fewer agents and deliveries and the default mix and arrival.
 */
export function workloadOptions(constraints: WorkloadOptionsConstraints = {}): fc.Arbitrary<WorkloadOptions> {
  const minAgents = count(constraints.minAgents, 1, 1, 10_000, 'minAgents');
  const maxAgents = count(constraints.maxAgents, Math.max(9, minAgents), minAgents, 10_000, 'maxAgents');
  const maxDeliveries = count(constraints.maxDeliveries, 1000, maxAgents, 1_000_000_000, 'maxDeliveries');
  const priorities = constraints.priorities ?? true;
  const arrival = constraints.arrival ?? true;
  return fc
    .record({
      agents: fc.integer({ min: minAgents, max: maxAgents }),
      messagesPerAgent: fc.integer({ min: 1, max: Math.floor(maxDeliveries / minAgents) }),
      typeMix: messageMix(constraints.types ? { types: constraints.types } : {}),
      // The urgent share in twentieths; 2 (10 %) is the engine's default.
      urgent: priorities
        ? fc.oneof({ withCrossShrink: true }, fc.constant(2), fc.integer({ min: 0, max: 20 }))
        : fc.constant(undefined),
      arrival: arrival === false ? fc.constant(undefined) : arrivalModel(arrival === true ? {} : arrival),
    })
    .map(
      ({ agents, messagesPerAgent, typeMix, urgent, arrival: model }): WorkloadOptions => ({
        agents,
        messagesPerAgent: Math.min(messagesPerAgent, Math.floor(maxDeliveries / agents)),
        typeMix: agents < 2 ? withoutAgentSent(typeMix) : typeMix,
        // In twentieths, so both shares are short decimals (0.85, not 0.8500000000000001).
        ...(urgent === undefined
          ? {}
          : { priorityMix: { regular: (20 - urgent) / 20, urgent: urgent / 20 } }),
        ...(model === undefined ? {} : { arrival: model }),
      }),
    );
}
