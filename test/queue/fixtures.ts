import type { Message, MessagePriority } from '../../src/protocol/index.ts';

/** A valid message for queue tests; `overrides` replace any field. */
export function makeMessage(id: number | string, overrides: Partial<Message> = {}): Message {
  return {
    id: `m-${id}`,
    content: `Test message ${id}`,
    sender: 'SYSTEM',
    senderKind: 'system',
    recipient: 'Agent-1',
    recipientKind: 'agent',
    type: 'system_to_agent',
    priority: 'regular' satisfies MessagePriority,
    tags: ['system'],
    metadata: { n: typeof id === 'number' ? id : 0 },
    createdAt: 0,
    ...overrides,
  };
}
