/** Every error code vitest-stress can raise; each names one kind of bad input or broken promise. */
export type StressErrorCode =
  | 'ERR_INVALID_OPTION'
  | 'ERR_INVALID_MESSAGE'
  | 'ERR_INVALID_RECORD'
  | 'ERR_EVENT_ORDER'
  | 'ERR_QUEUE_FULL'
  | 'ERR_QUEUE_CLOSED'
  | 'ERR_UNKNOWN_ENTRY'
  | 'ERR_STORE_CORRUPTED'
  | 'ERR_STORE_FORMAT'
  | 'ERR_STORE_LOCKED'
  | 'ERR_STORE_WRITE'
  | 'ERR_STORE_CLOSED'
  | 'ERR_STORE_COMPACTION'
  | 'ERR_DELIVERY_TIMEOUT'
  | 'ERR_UNSAFE_AGENT_ID'
  | 'ERR_INVALID_THRESHOLD'
  | 'ERR_INVALID_METRICS_FILE'
  | 'ERR_ISOLATION_VIOLATION'
  | 'ERR_TARGET'
  | 'ERR_TARGET_MODULE'
  | 'ERR_INVALID_SNAPSHOT'
  | 'ERR_DRAIN_TIMEOUT'
  | 'ERR_CHAOS_INJECTED'
  | 'ERR_STRESS_FAILED'
  | 'ERR_GUARD_INSTALLED'
  | 'ERR_IO'
  | 'ERR_BROKER_NOT_FOUND'
  | 'ERR_BROKER'
  | 'ERR_CLI_USAGE'
  | 'ERR_INTERNAL';

/** Options for {@link StressError}: the underlying cause and machine-readable details. */
export interface StressErrorOptions {
  readonly cause?: unknown;
  readonly details?: Readonly<Record<string, unknown>>;
}

/** The one error class of vitest-stress: a readonly `code`, a message that says what was expected and received. */
export class StressError extends Error {
  override readonly name: string = 'StressError';
  readonly code: StressErrorCode;
  readonly details: Readonly<Record<string, unknown>>;

  constructor(code: StressErrorCode, message: string, options: StressErrorOptions = {}) {
    super(message.startsWith('[vitest-stress]') ? message : `[vitest-stress] ${message}`, {
      cause: options.cause,
    });
    this.code = code;
    this.details = options.details ?? {};
  }

  /** Cross-realm check: true for any StressError, even one from another copy of this package. */
  static is(value: unknown, code?: StressErrorCode): value is StressError {
    if (typeof value !== 'object' || value === null) return false;
    const candidate = value as { name?: unknown; code?: unknown };
    if (candidate.name !== 'StressError' && !(value instanceof StressError)) return false;
    return code === undefined || candidate.code === code;
  }
}

/** Describes a received value for an error message: `` `0` (number)``. */
export function describeValue(value: unknown): string {
  if (value === null) return '`null`';
  if (value === undefined) return '`undefined`';
  if (Array.isArray(value)) return `an array of length ${value.length}`;
  if (typeof value === 'function') return 'a function';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') {
    const shown = value.length > 60 ? `${value.slice(0, 57)}...` : value;
    return `${JSON.stringify(shown)} (string)`;
  }
  return `\`${String(value)}\` (${typeof value})`;
}

/** Builds the standard "Expected X, got Y" error for a bad option. */
export function invalidOption(path: string, expected: string, received: unknown): StressError {
  return new StressError(
    'ERR_INVALID_OPTION',
    `Expected \`${path}\` to be ${expected}, got ${describeValue(received)}.`,
    { details: { path, expected } },
  );
}

/** Builds the error for a state that cannot happen unless vitest-stress itself is wrong. */
export function internalError(what: string): StressError {
  return new StressError(
    'ERR_INTERNAL',
    `${what}. This is a bug in vitest-stress; please report it with the seed of the run.`,
  );
}
