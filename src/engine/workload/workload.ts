import { MESSAGE_TYPES, type Message, type MessagePriority, type MessageType } from '../../protocol/index.ts';
import { largestRemainder } from './message-mix.ts';
import type { SeededRandom } from './seeded-random.ts';
import { WorkloadIterator, type WorkloadPlan } from './workload-iterator.ts';
import {
  type ResolvedWorkloadOptions,
  resolveWorkloadOptions,
  type WorkloadOptions,
} from './workload-options.ts';

/** The exact counts a workload plans; every figure is fixed before the first message is generated. */
export interface WorkloadQuotas {
  /** Deliveries each agent receives, by type: the largest-remainder split of `messagesPerAgent` by `typeMix`. */
  readonly perAgentByType: Readonly<Record<MessageType, number>>;
  /** Messages by type: `agents x perAgentByType[type]`, except `broadcast`: `perAgentByType.broadcast`. */
  readonly messagesByType: Readonly<Record<MessageType, number>>;
  /** Deliveries by type: `agents x perAgentByType[type]` for every type, broadcast included. */
  readonly deliveriesByType: Readonly<Record<MessageType, number>>;
  /** Deliveries by agent: `messagesPerAgent` each. */
  readonly deliveriesByAgent: Readonly<Record<string, number>>;
  /** Messages by priority (urgent: the floor or ceiling of `totalMessages x priorityMix.urgent`). */
  readonly messagesByPriority: Readonly<Record<MessagePriority, number>>;
}

/** The id of the message at `index` of run `runId`: `<runId>-<index>`. */
export function formatMessageId(runId: string, index: number): string {
  return `${runId}-${index}`;
}

/** The index in a `<runId>-<index>` message id, or `undefined` if it has none. */
export function parseMessageIndex(id: string): number | undefined {
  const dash = id.lastIndexOf('-');
  const digits = id.slice(dash + 1);
  if (dash < 0 || !/^(0|[1-9][0-9]*)$/.test(digits)) return undefined;
  const index = Number(digits);
  return Number.isSafeInteger(index) ? index : undefined;
}

/**
 * A deterministic, lazily generated message plan with exact quotas.
 *
 * Accounting: a delivery is one (message, recipient) pair. Every agent receives exactly `messagesPerAgent`
 * deliveries, split by type with the largest remainder method (`quotas.perAgentByType`). A broadcast
 * (recipient `ALL`) is one message that yields one delivery per agent, so an agent's broadcast quota is met
 * by that many broadcast messages, each reaching every agent. The default run (9 agents, 100 each,
 * 50/25/25% system_to_agent/broadcast/onboarding) is 450 system_to_agent + 225 onboarding messages (50 and 25
 * per agent) + 25 broadcasts = 700 messages and 900 deliveries (450/225/225 by type, 100 per agent).
 *
 * Messages come in a seeded, uniformly random interleaving of agents and types; message `i` (id
 * `<runId>-<i>`) carries its intended send time in `createdAt`. Nothing per message is stored: memory is
 * O(agents x types) whatever the message count, and every `messages()` call replays the same sequence.
 */
export class Workload implements Iterable<Message> {
  /** The resolved options. */
  readonly options: ResolvedWorkloadOptions;
  /** Agent ids, in order. */
  readonly agents: readonly string[];
  /** Messages in the sequence. */
  readonly totalMessages: number;
  /** Deliveries planned: `agents x messagesPerAgent`. */
  readonly plannedDeliveries: number;
  /** The span of intended send times, in virtual ms (the open stream's length, or the last burst's start). */
  readonly plannedDurationMs: number;
  /** Exact counts by agent, type and priority. */
  readonly quotas: WorkloadQuotas;
  readonly #plan: WorkloadPlan;

  /** Plans the workload; use {@link createWorkload}. */
  constructor(options: ResolvedWorkloadOptions, random: SeededRandom) {
    this.options = options;
    const agents = options.agents;
    this.agents = agents;
    const perAgentByType = largestRemainder(options.messagesPerAgent, options.typeMix, MESSAGE_TYPES);
    const messagesByType = {} as Record<MessageType, number>;
    const deliveriesByType = {} as Record<MessageType, number>;
    const counts: number[] = [];
    const streamAgent: number[] = [];
    const streamType: number[] = [];
    MESSAGE_TYPES.forEach((type, typeIndex) => {
      const quota = perAgentByType[type];
      deliveriesByType[type] = quota * agents.length;
      messagesByType[type] = type === 'broadcast' ? quota : quota * agents.length;
      if (quota === 0) return;
      // One stream per (agent, type); broadcasts form a single stream with recipient -1 (`ALL`).
      const recipients = type === 'broadcast' ? 1 : agents.length;
      for (let agent = 0; agent < recipients; agent++) {
        counts.push(quota);
        streamAgent.push(type === 'broadcast' ? -1 : agent);
        streamType.push(typeIndex);
      }
    });
    this.totalMessages = MESSAGE_TYPES.reduce((sum, type) => sum + messagesByType[type], 0);
    this.plannedDeliveries = agents.length * options.messagesPerAgent;
    this.#plan = {
      options,
      random,
      totalMessages: this.totalMessages,
      streamCounts: Float64Array.from(counts),
      streamAgent: Int32Array.from(streamAgent),
      streamType: Uint8Array.from(streamType),
      urgentPhase: random.fork('workload.priority').nextFloat(),
    };
    const urgent = Math.floor(this.totalMessages * options.priorityMix.urgent + this.#plan.urgentPhase);
    this.plannedDurationMs = this.messages().plannedDurationMs;
    this.quotas = {
      perAgentByType,
      messagesByType,
      deliveriesByType,
      deliveriesByAgent: Object.fromEntries(agents.map((agent) => [agent, options.messagesPerAgent])),
      messagesByPriority: { regular: this.totalMessages - urgent, urgent },
    };
  }

  /** A fresh iterator over the whole sequence, from message 0. */
  messages(): WorkloadIterator {
    return new WorkloadIterator(this.#plan);
  }

  /** Same as {@link Workload.messages}. */
  [Symbol.iterator](): WorkloadIterator {
    return this.messages();
  }
}

/** Resolves `options` and plans the workload; `random` should be its own fork (e.g. `root.fork('workload')`). */
export function createWorkload(options: WorkloadOptions, random: SeededRandom): Workload {
  return new Workload(resolveWorkloadOptions(options), random);
}
