import { describeValue, StressError } from './stress-error.ts';

const MAX_AGENT_ID_LENGTH = 64;
// Letters, digits, dot, dash, underscore; must start with a letter or digit so `..` and `.x` are out.
const SAFE_AGENT_ID = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/** True when `id` can name an agent and a directory: no path separators, no `..`, no control characters. */
export function isSafeAgentId(id: unknown): id is string {
  return (
    typeof id === 'string' &&
    id.length > 0 &&
    id.length <= MAX_AGENT_ID_LENGTH &&
    SAFE_AGENT_ID.test(id) &&
    !id.includes('..')
  );
}

/** Throws `ERR_UNSAFE_AGENT_ID` unless `id` is a safe agent id; `field` names where it came from. */
export function assertSafeAgentId(id: unknown, field = 'agent id'): asserts id is string {
  if (!isSafeAgentId(id)) {
    throw new StressError(
      'ERR_UNSAFE_AGENT_ID',
      `Expected \`${field}\` to be a safe agent id (1-${MAX_AGENT_ID_LENGTH} characters of letters, digits, ` +
        `".", "-" or "_", starting with a letter or digit, no ".."), got ${describeValue(id)}.`,
      { details: { field } },
    );
  }
}
