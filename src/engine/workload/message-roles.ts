import type { MessageTag, MessageType, ParticipantKind } from '../../protocol/index.ts';

/** Who sends a message of a given type in a generated workload, and the tag its type implies. */
export interface MessageRole {
  /** A fixed sender id, or `undefined` when the sender is another agent of the run. */
  readonly sender: string | undefined;
  readonly senderKind: ParticipantKind;
  /** The tag every message of this type carries, if any. */
  readonly tag: MessageTag | undefined;
}

/**
 * The sender and tag of each message type: the system sends system, broadcast and onboarding messages,
 * the captain `captain_to_agent`, a human `human_to_agent`, and another agent of the run sends `text`,
 * `agent_to_agent` and `multi_agent_request` (the last tagged `coordination`, as a request to peers).
 */
export const MESSAGE_ROLES: Readonly<Record<MessageType, MessageRole>> = {
  text: { sender: undefined, senderKind: 'agent', tag: undefined },
  broadcast: { sender: 'SYSTEM', senderKind: 'system', tag: 'system' },
  onboarding: { sender: 'SYSTEM', senderKind: 'system', tag: 'onboarding' },
  agent_to_agent: { sender: undefined, senderKind: 'agent', tag: undefined },
  captain_to_agent: { sender: 'Captain', senderKind: 'captain', tag: 'captain' },
  system_to_agent: { sender: 'SYSTEM', senderKind: 'system', tag: 'system' },
  human_to_agent: { sender: 'Human', senderKind: 'human', tag: undefined },
  multi_agent_request: { sender: undefined, senderKind: 'agent', tag: 'coordination' },
};
