import { isSafeAgentId } from './agent-id.ts';
import { findNonJsonValue, isJsonPlain } from './json-value.ts';
import { BROADCAST_RECIPIENT, type Message } from './message.ts';
import { isMessagePriority, MESSAGE_PRIORITIES } from './message-priority.ts';
import { isMessageTag, MESSAGE_TAGS } from './message-tag.ts';
import { isMessageType, MESSAGE_TYPES } from './message-type.ts';
import { isParticipantKind, PARTICIPANT_KINDS } from './participant-kind.ts';
import { describeValue, StressError } from './stress-error.ts';

/** Limits applied by {@link validateMessage}. */
export interface MessageLimits {
  /** Largest allowed `content`, in UTF-16 code units. @default 65536 */
  readonly maxContentLength?: number;
}

/** Default largest content length accepted by {@link validateMessage}. */
export const DEFAULT_MAX_CONTENT_LENGTH = 65_536;

function fail(field: string, expected: string, received: unknown): never {
  throw new StressError(
    'ERR_INVALID_MESSAGE',
    `Expected message \`${field}\` to be ${expected}, got ${describeValue(received)}.`,
    { details: { field } },
  );
}

// A character `String#trim` keeps (`\s` is exactly what it removes): content of only whitespace is blank.
const NOT_BLANK = /\S/;

const oneOf = (values: readonly string[]): string => `one of ${values.map((v) => `"${v}"`).join(', ')}`;

/**
 * Checks a message at the boundary and returns it typed; throws `ERR_INVALID_MESSAGE` naming the field,
 * what was expected and what was received.
 */
export function validateMessage(input: unknown, limits: MessageLimits = {}): Message {
  const maxContent = limits.maxContentLength ?? DEFAULT_MAX_CONTENT_LENGTH;
  if (typeof input !== 'object' || input === null || Array.isArray(input))
    fail('(message)', 'an object', input);
  const m = input as Record<string, unknown>;
  if (typeof m.id !== 'string' || m.id.length === 0 || m.id.length > 256) {
    fail('id', 'a non-empty string of at most 256 characters', m.id);
  }
  if (typeof m.content !== 'string' || !NOT_BLANK.test(m.content)) {
    fail('content', 'a non-empty string', m.content);
  }
  if (m.content.length > maxContent) {
    fail('content', `at most ${maxContent} characters`, `${m.content.length} characters`);
  }
  if (!isSafeAgentId(m.sender))
    fail('sender', 'a safe agent id (no path separators, "..", control characters)', m.sender);
  if (m.recipient !== BROADCAST_RECIPIENT && !isSafeAgentId(m.recipient)) {
    fail('recipient', `a safe agent id or "${BROADCAST_RECIPIENT}"`, m.recipient);
  }
  if (!isParticipantKind(m.senderKind)) fail('senderKind', oneOf(PARTICIPANT_KINDS), m.senderKind);
  if (!isParticipantKind(m.recipientKind)) fail('recipientKind', oneOf(PARTICIPANT_KINDS), m.recipientKind);
  if (!isMessageType(m.type)) fail('type', oneOf(MESSAGE_TYPES), m.type);
  if (!isMessagePriority(m.priority)) fail('priority', oneOf(MESSAGE_PRIORITIES), m.priority);
  if (!Array.isArray(m.tags)) fail('tags', 'an array of tags', m.tags);
  for (let i = 0; i < m.tags.length; i++) {
    if (!isMessageTag(m.tags[i])) fail(`tags[${i}]`, oneOf(MESSAGE_TAGS), m.tags[i]);
  }
  if (typeof m.metadata !== 'object' || m.metadata === null || Array.isArray(m.metadata)) {
    fail('metadata', 'a JSON-plain object', m.metadata);
  }
  if (!isJsonPlain(m.metadata)) {
    fail(
      findNonJsonValue(m.metadata, 'metadata') ?? 'metadata',
      'JSON-plain (no Map, Date, BigInt, function, undefined, NaN or class instance)',
      'a non-JSON value',
    );
  }
  if (typeof m.createdAt !== 'number' || !Number.isFinite(m.createdAt)) {
    fail('createdAt', 'a finite number of milliseconds', m.createdAt);
  }
  return input as Message;
}
