import {
  BROADCAST_RECIPIENT,
  MESSAGE_TAGS,
  MESSAGE_TYPES,
  type Message,
  type MessageTag,
} from '../../protocol/index.ts';
import { type ArrivalClock, createArrivalClock } from './arrival-model.ts';
import { MESSAGE_ROLES } from './message-roles.ts';
import type { SeededRandom } from './seeded-random.ts';
import { StreamInterleaver } from './stream-interleaver.ts';
import type { ResolvedWorkloadOptions } from './workload-options.ts';

/** The compact plan a `Workload` hands its iterators: typed arrays over (agent, type) streams. */
export interface WorkloadPlan {
  readonly options: ResolvedWorkloadOptions;
  readonly random: SeededRandom;
  readonly totalMessages: number;
  /** Messages left in each stream at the start. */
  readonly streamCounts: Float64Array;
  /** Recipient agent index of each stream, -1 for the broadcast stream. */
  readonly streamAgent: Int32Array;
  /** Index in `MESSAGE_TYPES` of each stream. */
  readonly streamType: Uint8Array;
  /** Offset in [0, 1) of the even spread of urgent messages. */
  readonly urgentPhase: number;
}

const DONE: IteratorReturnResult<undefined> = { value: undefined, done: true };
const BASE_TAGS: readonly (readonly MessageTag[])[] = MESSAGE_TYPES.map((type) => {
  const tag = MESSAGE_ROLES[type].tag;
  return Object.freeze(tag === undefined ? [] : [tag]);
});
const FILLER_WORDS = ' lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor';

/**
 * Generates a workload's messages one at a time; each part of a message draws from its own fork of the
 * workload's stream (order, arrival, sender, content, tags), so changing one option leaves the rest alone.
 */
export class WorkloadIterator implements IterableIterator<Message, undefined> {
  /** The span of intended send times, in virtual ms. */
  readonly plannedDurationMs: number;
  readonly #plan: WorkloadPlan;
  readonly #order: StreamInterleaver;
  readonly #arrival: ArrivalClock;
  readonly #sender: SeededRandom;
  readonly #content: SeededRandom;
  readonly #tags: SeededRandom;
  readonly #extraTags: ReadonlyArray<readonly [MessageTag, number]>;
  // One filler text per message type, `maxBytes` long; a message's content is a prefix of its type's filler.
  readonly #fillers: readonly string[];
  #index = 0;
  #nextAt: number | undefined;

  /** Starts at message 0 of `plan`. */
  constructor(plan: WorkloadPlan) {
    const { options, random, totalMessages } = plan;
    this.#plan = plan;
    this.#order = new StreamInterleaver(plan.streamCounts, random.fork('workload.order'));
    this.#arrival = createArrivalClock(
      options.arrival,
      totalMessages,
      options.messagesPerAgent,
      random.fork('workload.arrival'),
    );
    this.plannedDurationMs = this.#arrival.plannedDurationMs;
    this.#sender = random.fork('workload.sender');
    this.#content = random.fork('workload.content');
    this.#tags = random.fork('workload.tags');
    this.#extraTags = MESSAGE_TAGS.flatMap((tag) => {
      const rate = options.tagMix[tag] ?? 0;
      return rate > 0 ? [[tag, rate] as const] : [];
    });
    const maxBytes = options.content.maxBytes;
    const filler = FILLER_WORDS.repeat(Math.ceil(maxBytes / FILLER_WORDS.length));
    this.#fillers = MESSAGE_TYPES.map((type) => `Stress message (${type}):${filler}`.slice(0, maxBytes));
  }

  /** Index of the next message (how many were generated). */
  get index(): number {
    return this.#index;
  }

  /** Intended send time of the next message without generating it, or `undefined` at the end. */
  peekCreatedAt(): number | undefined {
    if (this.#index >= this.#plan.totalMessages) return undefined;
    this.#nextAt ??= this.#arrival.next();
    return this.#nextAt;
  }

  /** Generates the next message. */
  next(): IteratorResult<Message, undefined> {
    const message = this.take();
    return message === undefined ? DONE : { value: message, done: false };
  }

  /** Generates the next message, or `undefined` at the end: `next()` without the result object, for hot loops. */
  take(): Message | undefined {
    const plan = this.#plan;
    const index = this.#index;
    if (index >= plan.totalMessages) return undefined;
    const createdAt = this.#nextAt ?? this.#arrival.next();
    this.#nextAt = undefined;
    this.#index = index + 1;
    const stream = this.#order.next();
    const agentIndex = plan.streamAgent[stream] as number;
    const typeIndex = plan.streamType[stream] as number;
    const type = MESSAGE_TYPES[typeIndex] as Message['type'];
    const role = MESSAGE_ROLES[type];
    const { agents, priorityMix, runId } = plan.options;
    const recipient = agentIndex < 0 ? BROADCAST_RECIPIENT : (agents[agentIndex] as string);
    let sender = role.sender;
    if (sender === undefined) {
      // Another agent, uniformly: draw among the others and skip over the recipient.
      const other = this.#sender.below(agents.length - 1);
      sender = agents[other >= agentIndex ? other + 1 : other] as string;
    }
    // Even spread of urgent messages: message i is urgent when floor(i * p + phase) steps up at i + 1.
    const p = priorityMix.urgent;
    const phase = plan.urgentPhase;
    const urgent = Math.floor((index + 1) * p + phase) > Math.floor(index * p + phase);
    const message: Message = {
      id: `${runId}-${index}`,
      content: this.#contentFor(typeIndex),
      sender,
      senderKind: role.senderKind,
      recipient,
      recipientKind: 'agent',
      type,
      priority: urgent ? 'urgent' : 'regular',
      tags: this.#tagsFor(typeIndex),
      metadata: { index },
      createdAt,
    };
    return message;
  }

  /** This iterator itself. */
  [Symbol.iterator](): this {
    return this;
  }

  // A prefix of the type's filler: no per-message text to build (the id already names the message).
  #contentFor(typeIndex: number): string {
    const { minBytes, maxBytes } = this.#plan.options.content;
    const length = minBytes === maxBytes ? minBytes : minBytes + this.#content.below(maxBytes - minBytes + 1);
    return (this.#fillers[typeIndex] as string).slice(0, length);
  }

  #tagsFor(typeIndex: number): readonly MessageTag[] {
    const base = BASE_TAGS[typeIndex] as readonly MessageTag[];
    let tags: MessageTag[] | undefined;
    for (const [tag, rate] of this.#extraTags) {
      if (!this.#tags.chance(rate) || base.includes(tag)) continue;
      tags ??= [...base];
      tags.push(tag);
    }
    return tags ?? base;
  }
}
