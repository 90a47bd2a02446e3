import {
  BROADCAST_RECIPIENT,
  DEFAULT_MAX_CONTENT_LENGTH,
  invalidOption,
  isSafeAgentId,
  MESSAGE_PRIORITIES,
  MESSAGE_TAGS,
  MESSAGE_TYPES,
  type MessagePriority,
  type MessageTag,
  type MessageType,
} from '../../protocol/index.ts';
import { type ArrivalModel, type ResolvedArrivalModel, resolveArrivalModel } from './arrival-model.ts';
import { type Mix, resolveMix } from './message-mix.ts';

/** Options of a generated workload; see `createWorkload` for how deliveries are counted. */
export interface WorkloadOptions {
  /** A number of agents named `Agent-1`..`Agent-N`, or explicit safe agent ids. @default 9 */
  readonly agents?: number | readonly string[];
  /** Deliveries every agent receives (a broadcast counts once for each agent). @default 100 */
  readonly messagesPerAgent?: number;
  /** Share of each agent's deliveries by type. @default { system_to_agent: 0.5, broadcast: 0.25, onboarding: 0.25 } */
  readonly typeMix?: Mix<MessageType>;
  /** Share of messages by priority, spread evenly over the sequence. @default { regular: 0.9, urgent: 0.1 } */
  readonly priorityMix?: Mix<MessagePriority>;
  /** Probability that a message also carries each tag, on top of its type's tag. @default { coordination: 0.05, wrapup: 0.05 } */
  readonly tagMix?: Partial<Record<MessageTag, number>>;
  /** Content length range, in bytes (the content is ASCII). @default { minBytes: 16, maxBytes: 256 } */
  readonly content?: { readonly minBytes: number; readonly maxBytes: number };
  /** When messages are meant to be sent. @default { kind: 'open', ratePerAgent: 25, process: 'constant' } */
  readonly arrival?: ArrivalModel;
  /** Prefix of message ids (`<runId>-<index>`). @default 'run' */
  readonly runId?: string;
}

/** {@link WorkloadOptions} validated, every default applied. */
export interface ResolvedWorkloadOptions {
  readonly agents: readonly string[];
  readonly messagesPerAgent: number;
  readonly typeMix: Readonly<Record<MessageType, number>>;
  readonly priorityMix: Readonly<Record<MessagePriority, number>>;
  readonly tagMix: Readonly<Partial<Record<MessageTag, number>>>;
  readonly content: { readonly minBytes: number; readonly maxBytes: number };
  readonly arrival: ResolvedArrivalModel;
  readonly runId: string;
}

/** Ids the workload uses for non-agent senders and broadcasts, so no agent may be named so. */
export const RESERVED_PARTICIPANT_IDS: readonly string[] = [
  BROADCAST_RECIPIENT,
  'SYSTEM',
  'Captain',
  'Human',
];

/** Types whose sender is another agent: they need at least two agents. */
export const AGENT_SENT_TYPES: readonly MessageType[] = ['text', 'agent_to_agent', 'multi_agent_request'];

const MAX_AGENTS = 10_000;
const MAX_PER_AGENT = 10_000_000;
const MAX_DELIVERIES = 1_000_000_000;
const RUN_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const DEFAULT_TYPE_MIX: Mix<MessageType> = { system_to_agent: 0.5, broadcast: 0.25, onboarding: 0.25 };

function integer(value: unknown, min: number, max: number, path: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw invalidOption(path, `an integer from ${min} to ${max}`, value);
  }
  return value;
}

function resolveAgents(input: unknown): readonly string[] {
  if (typeof input === 'number') {
    return Array.from({ length: integer(input, 1, MAX_AGENTS, 'agents') }, (_, i) => `Agent-${i + 1}`);
  }
  if (!Array.isArray(input) || input.length === 0 || input.length > MAX_AGENTS) {
    throw invalidOption('agents', `a count from 1 to ${MAX_AGENTS} or a non-empty array of agent ids`, input);
  }
  const seen = new Set<string>();
  input.forEach((id: unknown, i) => {
    if (!isSafeAgentId(id)) throw invalidOption(`agents[${i}]`, 'a safe agent id', id);
    if (RESERVED_PARTICIPANT_IDS.includes(id)) {
      throw invalidOption(`agents[${i}]`, `an id other than ${RESERVED_PARTICIPANT_IDS.join(', ')}`, id);
    }
    if (seen.has(id)) throw invalidOption(`agents[${i}]`, 'an id not already listed', id);
    seen.add(id);
  });
  return [...(input as string[])];
}

function resolveTagMix(input: unknown): Partial<Record<MessageTag, number>> {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw invalidOption('tagMix', 'an object of probabilities by tag', input);
  }
  const tagMix: Partial<Record<MessageTag, number>> = {};
  for (const [tag, rate] of Object.entries(input)) {
    if (!(MESSAGE_TAGS as readonly string[]).includes(tag)) {
      throw invalidOption(`tagMix.${tag}`, `absent (known tags: ${MESSAGE_TAGS.join(', ')})`, rate);
    }
    if (typeof rate !== 'number' || !(rate >= 0 && rate <= 1)) {
      throw invalidOption(`tagMix.${tag}`, 'a probability from 0 to 1', rate);
    }
    tagMix[tag as MessageTag] = rate;
  }
  return tagMix;
}

/** Validates workload options once and applies the defaults. */
export function resolveWorkloadOptions(options: WorkloadOptions = {}): ResolvedWorkloadOptions {
  const agents = resolveAgents(options.agents ?? 9);
  const messagesPerAgent = integer(options.messagesPerAgent ?? 100, 1, MAX_PER_AGENT, 'messagesPerAgent');
  if (agents.length * messagesPerAgent > MAX_DELIVERIES) {
    throw invalidOption(
      'agents x messagesPerAgent',
      `at most ${MAX_DELIVERIES} deliveries`,
      agents.length * messagesPerAgent,
    );
  }
  const typeMix = resolveMix(options.typeMix ?? DEFAULT_TYPE_MIX, MESSAGE_TYPES, 'typeMix');
  if (agents.length < 2) {
    for (const type of AGENT_SENT_TYPES) {
      if (typeMix[type] > 0)
        throw invalidOption(
          `typeMix.${type}`,
          '0 with a single agent (its sender is another agent)',
          typeMix[type],
        );
    }
  }
  const priorityMix = resolveMix(
    options.priorityMix ?? { regular: 0.9, urgent: 0.1 },
    MESSAGE_PRIORITIES,
    'priorityMix',
  );
  const tagMix = resolveTagMix(options.tagMix ?? { coordination: 0.05, wrapup: 0.05 });
  const rawContent = options.content ?? { minBytes: 16, maxBytes: 256 };
  if (typeof rawContent !== 'object' || rawContent === null) {
    throw invalidOption('content', 'an object `{ minBytes, maxBytes }`', rawContent);
  }
  const minBytes = integer(rawContent.minBytes, 1, DEFAULT_MAX_CONTENT_LENGTH, 'content.minBytes');
  const maxBytes = integer(rawContent.maxBytes, minBytes, DEFAULT_MAX_CONTENT_LENGTH, 'content.maxBytes');
  const arrival = resolveArrivalModel(options.arrival, 'arrival');
  const runId = options.runId ?? 'run';
  if (typeof runId !== 'string' || !RUN_ID.test(runId)) {
    throw invalidOption(
      'runId',
      '1-64 letters, digits, ".", "-" or "_", starting with a letter or digit',
      runId,
    );
  }
  return {
    agents,
    messagesPerAgent,
    typeMix,
    priorityMix,
    tagMix,
    content: { minBytes, maxBytes },
    arrival,
    runId,
  };
}
