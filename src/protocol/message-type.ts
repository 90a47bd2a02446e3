/** The eight message types of the swarm's messaging model, in the original's order. */
export const MESSAGE_TYPES = [
  'text',
  'broadcast',
  'onboarding',
  'agent_to_agent',
  'captain_to_agent',
  'system_to_agent',
  'human_to_agent',
  'multi_agent_request',
] as const;

/** One of {@link MESSAGE_TYPES}. */
export type MessageType = (typeof MESSAGE_TYPES)[number];

/** True when `value` is one of the eight message types. */
export function isMessageType(value: unknown): value is MessageType {
  return typeof value === 'string' && (MESSAGE_TYPES as readonly string[]).includes(value);
}
