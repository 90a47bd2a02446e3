import fc from 'fast-check';
import type { Mix } from '../engine/index.ts';
import { invalidOption, MESSAGE_TYPES, type MessageType } from '../protocol/index.ts';

/** The engine's default type mix: half system messages, a quarter broadcasts, a quarter onboarding. */
export const DEFAULT_MESSAGE_MIX: Readonly<Mix<MessageType>> = {
  system_to_agent: 0.5,
  broadcast: 0.25,
  onboarding: 0.25,
};

/** Constraints of {@link messageMix}. */
export interface MessageMixConstraints {
  /** Types a generated mix may use. @default every message type */
  readonly types?: readonly MessageType[];
  /** Largest relative weight of one type; shares are weights over their sum. @default 4 */
  readonly maxWeight?: number;
}

/** The mix every generated one shrinks to: the default mix restricted to `types`, else all of the first type. */
function simplestMix(types: readonly MessageType[]): Mix<MessageType> {
  const kept = types.filter((type) => DEFAULT_MESSAGE_MIX[type] !== undefined);
  if (kept.length === 0) return { [types[0] as MessageType]: 1 };
  const sum = kept.reduce((total, type) => total + (DEFAULT_MESSAGE_MIX[type] ?? 0), 0);
  return Object.fromEntries(kept.map((type) => [type, (DEFAULT_MESSAGE_MIX[type] ?? 0) / sum]));
}

function resolveTypes(types: unknown): readonly MessageType[] {
  if (types === undefined) return MESSAGE_TYPES;
  if (
    !Array.isArray(types) ||
    types.length === 0 ||
    types.some((type) => !(MESSAGE_TYPES as readonly unknown[]).includes(type))
  ) {
    throw invalidOption('types', `a non-empty array of message types (${MESSAGE_TYPES.join(', ')})`, types);
  }
  return MESSAGE_TYPES.filter((type) => types.includes(type));
}

/**
 * Message type mixes whose shares sum to 1 (JSON-plain, absent types are 0). Shrinks towards the default
 * mix: the generated weights shrink to 0, and an all-zero draw means the default.
 * @example
 * fc.sample(messageMix({ types: ['text', 'broadcast'] }), 1); // [{ text: 0.6, broadcast: 0.4 }]
 */
export function messageMix(constraints: MessageMixConstraints = {}): fc.Arbitrary<Mix<MessageType>> {
  const types = resolveTypes(constraints.types);
  const maxWeight = constraints.maxWeight ?? 4;
  if (!Number.isInteger(maxWeight) || maxWeight < 1 || maxWeight > 1000) {
    throw invalidOption('maxWeight', 'an integer from 1 to 1000', maxWeight);
  }
  const simplest = simplestMix(types);
  const weighted = fc
    .tuple(...types.map(() => fc.nat({ max: maxWeight })))
    .map((weights): Mix<MessageType> => {
      const sum = weights.reduce((total, weight) => total + weight, 0);
      if (sum === 0) return simplest;
      const mix: Mix<MessageType> = {};
      types.forEach((type, i) => {
        if ((weights[i] as number) > 0) mix[type] = (weights[i] as number) / sum;
      });
      return mix;
    });
  return fc.oneof(
    { withCrossShrink: true },
    { arbitrary: fc.constant(simplest), weight: 1 },
    { arbitrary: weighted, weight: 3 },
  );
}
