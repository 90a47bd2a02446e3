import type { DeliveryEvent, DeliveryOutcome } from '../../../src/engine/mock-core/delivery-sink.ts';
import type { Message, MessagePriority, MessageType } from '../../../src/protocol/index.ts';

export const RUN_ID = 'run';
export const AGENTS = ['Agent-1', 'Agent-2', 'Agent-3'] as const;

/** A message of run `RUN_ID` with the given index. */
export function message(
  index: number,
  options: {
    recipient?: string;
    sender?: string;
    priority?: MessagePriority;
    type?: MessageType;
    createdAt?: number;
  } = {},
): Message {
  return {
    id: `${RUN_ID}-${index}`,
    content: `Test message ${index + 1}`,
    sender: options.sender ?? 'SYSTEM',
    senderKind: 'system',
    recipient: options.recipient ?? 'Agent-1',
    recipientKind: 'agent',
    type: options.type ?? 'system_to_agent',
    priority: options.priority ?? 'regular',
    tags: ['system'],
    metadata: {},
    createdAt: options.createdAt ?? 0,
  };
}

/** A finished core call for `recipient` of `msg`, started at `startedAt` and lasting `serviceMs`. */
export function attempt(
  msg: Message,
  options: {
    recipient?: string;
    outcome?: DeliveryOutcome;
    startedAt?: number;
    serviceMs?: number;
    n?: number;
  } = {},
): DeliveryEvent {
  const startedAt = options.startedAt ?? msg.createdAt;
  return {
    message: msg,
    recipient: options.recipient ?? msg.recipient,
    attempt: options.n ?? 1,
    outcome: options.outcome ?? 'delivered',
    startedAt,
    finishedAt: startedAt + (options.serviceMs ?? 1),
  };
}
