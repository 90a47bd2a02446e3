/** Who sends or receives a message: the original `SenderType` and `RecipientType`. */
export const PARTICIPANT_KINDS = ['agent', 'captain', 'system', 'human'] as const;

/** One of {@link PARTICIPANT_KINDS}. */
export type ParticipantKind = (typeof PARTICIPANT_KINDS)[number];

/** True when `value` is a known participant kind. */
export function isParticipantKind(value: unknown): value is ParticipantKind {
  return typeof value === 'string' && (PARTICIPANT_KINDS as readonly string[]).includes(value);
}
