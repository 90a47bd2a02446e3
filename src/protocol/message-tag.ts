/** Tags a message may carry, as in the original `UnifiedMessageTag`. */
export const MESSAGE_TAGS = ['captain', 'onboarding', 'wrapup', 'coordination', 'system'] as const;

/** One of {@link MESSAGE_TAGS}. */
export type MessageTag = (typeof MESSAGE_TAGS)[number];

/** True when `value` is a known tag. */
export function isMessageTag(value: unknown): value is MessageTag {
  return typeof value === 'string' && (MESSAGE_TAGS as readonly string[]).includes(value);
}
