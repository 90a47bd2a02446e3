export { assertSafeAgentId, isSafeAgentId } from './agent-id.ts';
export type { Clock, TimerHandle } from './clock.ts';
export { findNonJsonValue, type JsonObject, type JsonValue } from './json-value.ts';
export { BROADCAST_RECIPIENT, isBroadcast, type Message } from './message.ts';
export { isMessagePriority, MESSAGE_PRIORITIES, type MessagePriority } from './message-priority.ts';
export { isMessageTag, MESSAGE_TAGS, type MessageTag } from './message-tag.ts';
export { isMessageType, MESSAGE_TYPES, type MessageType } from './message-type.ts';
export type { AbortListener, DeliveryAttempt, MessagingCore } from './messaging-core.ts';
export { isParticipantKind, PARTICIPANT_KINDS, type ParticipantKind } from './participant-kind.ts';
export {
  describeValue,
  internalError,
  invalidOption,
  StressError,
  type StressErrorCode,
  type StressErrorOptions,
} from './stress-error.ts';
export { DEFAULT_MAX_CONTENT_LENGTH, type MessageLimits, validateMessage } from './validate-message.ts';
