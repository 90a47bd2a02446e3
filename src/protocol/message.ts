import type { JsonObject } from './json-value.ts';
import type { MessagePriority } from './message-priority.ts';
import type { MessageTag } from './message-tag.ts';
import type { MessageType } from './message-type.ts';
import type { ParticipantKind } from './participant-kind.ts';

/** The recipient of a broadcast: the processor fans it out to every registered agent. */
export const BROADCAST_RECIPIENT = 'ALL';

/** One message of the swarm: the original `UnifiedMessage`, JSON-plain. */
export interface Message {
  /** Unique id; the delivery ledger keys on it. */
  readonly id: string;
  readonly content: string;
  readonly sender: string;
  readonly senderKind: ParticipantKind;
  /** An agent id, or {@link BROADCAST_RECIPIENT} for a broadcast. */
  readonly recipient: string;
  readonly recipientKind: ParticipantKind;
  readonly type: MessageType;
  readonly priority: MessagePriority;
  readonly tags: readonly MessageTag[];
  readonly metadata: JsonObject;
  /** Milliseconds on the run's {@link Clock} when the message was meant to be sent (its intended send time). */
  readonly createdAt: number;
}

/** True when the message goes to every agent. */
export function isBroadcast(message: Pick<Message, 'recipient'>): boolean {
  return message.recipient === BROADCAST_RECIPIENT;
}
