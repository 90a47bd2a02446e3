/** Delivery priorities: urgent messages are delivered before regular ones. */
export const MESSAGE_PRIORITIES = ['regular', 'urgent'] as const;

/** One of {@link MESSAGE_PRIORITIES}. */
export type MessagePriority = (typeof MESSAGE_PRIORITIES)[number];

/** True when `value` is a known priority. */
export function isMessagePriority(value: unknown): value is MessagePriority {
  return value === 'regular' || value === 'urgent';
}
