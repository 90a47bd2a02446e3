import type { Message, MessagePriority } from '../../protocol/index.ts';

/** What varies between the messages of a queue check. */
export interface CheckMessageSpec {
  readonly index: number;
  readonly priority?: MessagePriority;
  /** @default 'Agent-1' */
  readonly sender?: string;
  /** @default 'Agent-2' */
  readonly recipient?: string;
  /** Which check sent it, in the id (`<prefix>-<index>`). @default 'q' */
  readonly prefix?: string;
  /** Padding that makes the content this long (memory checks use realistic sizes). @default 48 */
  readonly contentBytes?: number;
}

/** A valid message for a queue check; the id is `<prefix>-<index>` and the content names it too. */
export function checkMessage(spec: CheckMessageSpec): Message {
  const id = `${spec.prefix ?? 'q'}-${spec.index}`;
  const head = `queue check message ${id} `;
  const size = Math.max(head.length, spec.contentBytes ?? 48);
  return {
    id,
    content: head.padEnd(size, '.'),
    sender: spec.sender ?? 'Agent-1',
    senderKind: 'agent',
    recipient: spec.recipient ?? 'Agent-2',
    recipientKind: 'agent',
    type: 'agent_to_agent',
    priority: spec.priority ?? 'regular',
    tags: [],
    metadata: { index: spec.index },
    createdAt: 0,
  };
}
