import { describeValue, StressError, validateMessage } from '../../protocol/index.ts';
import type { QueueEntry, QueueEntryStatus } from '../queue-entry.ts';
import type { QueueRecord } from '../queue-record.ts';

/** A value checked against the queue's types: the typed value, or which field is wrong and why. */
export type Parsed<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly field: string; readonly reason: string };

const STATUSES: readonly QueueEntryStatus[] = ['pending', 'processing', 'delivered', 'dead_lettered'];

type Fields = Record<string, unknown>;

class ShapeError extends Error {
  constructor(
    readonly field: string,
    reason: string,
  ) {
    super(reason);
  }
}

function ensure(ok: boolean, field: string, expected: string, received: unknown): void {
  if (!ok)
    throw new ShapeError(field, `expected \`${field}\` to be ${expected}, got ${describeValue(received)}`);
}

const isFiniteNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isCount = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 0;
const isId = (v: unknown): v is string => typeof v === 'string' && v.length > 0;

function objectOf(value: unknown, field: string): Fields {
  ensure(typeof value === 'object' && value !== null && !Array.isArray(value), field, 'an object', value);
  return value as Fields;
}

function checkEntry(value: unknown, field: string): QueueEntry {
  const e = objectOf(value, field);
  ensure(isId(e.entryId), `${field}.entryId`, 'a non-empty string', e.entryId);
  ensure(isCount(e.sequence), `${field}.sequence`, 'a non-negative integer', e.sequence);
  ensure(STATUSES.includes(e.status as QueueEntryStatus), `${field}.status`, 'an entry status', e.status);
  ensure(isCount(e.attempts), `${field}.attempts`, 'a non-negative integer', e.attempts);
  ensure(
    Array.isArray(e.deliveredTo) && e.deliveredTo.every((r) => typeof r === 'string'),
    `${field}.deliveredTo`,
    'an array of strings',
    e.deliveredTo,
  );
  ensure(isFiniteNumber(e.enqueuedAt), `${field}.enqueuedAt`, 'a finite number', e.enqueuedAt);
  ensure(isFiniteNumber(e.availableAt), `${field}.availableAt`, 'a finite number', e.availableAt);
  ensure(
    e.lastError === undefined || typeof e.lastError === 'string',
    `${field}.lastError`,
    'a string',
    e.lastError,
  );
  try {
    // The queue validated the message with its own limits when it accepted it; only the shape matters here.
    validateMessage(e.message, { maxContentLength: Number.POSITIVE_INFINITY });
  } catch (error) {
    if (!StressError.is(error)) throw error;
    const inner = typeof error.details.field === 'string' ? error.details.field : '(message)';
    const reason = error.message.replace('[vitest-stress] Expected', 'expected').replace(/\.$/, '');
    throw new ShapeError(`${field}.message${inner === '(message)' ? '' : `.${inner}`}`, reason);
  }
  return e as unknown as QueueEntry;
}

function checkRecord(value: unknown): QueueRecord {
  const r = objectOf(value, 'record');
  if (r.op === 'enqueue') {
    checkEntry(r.entry, 'entry');
    return r as unknown as QueueRecord;
  }
  ensure(isId(r.entryId), 'entryId', 'a non-empty string', r.entryId);
  switch (r.op) {
    case 'progress':
      ensure(typeof r.recipient === 'string', 'recipient', 'a string', r.recipient);
      break;
    case 'retry':
      ensure(isCount(r.attempts), 'attempts', 'a non-negative integer', r.attempts);
      ensure(isFiniteNumber(r.availableAt), 'availableAt', 'a finite number', r.availableAt);
      ensure(typeof r.lastError === 'string', 'lastError', 'a string', r.lastError);
      break;
    case 'ack':
      ensure(isFiniteNumber(r.at), 'at', 'a finite number', r.at);
      break;
    case 'dead':
      ensure(isCount(r.attempts), 'attempts', 'a non-negative integer', r.attempts);
      ensure(typeof r.lastError === 'string', 'lastError', 'a string', r.lastError);
      ensure(isFiniteNumber(r.at), 'at', 'a finite number', r.at);
      break;
    default:
      ensure(false, 'op', 'one of "enqueue", "progress", "retry", "ack", "dead"', r.op);
  }
  return r as unknown as QueueRecord;
}

function parsed<T>(check: () => T): Parsed<T> {
  try {
    return { ok: true, value: check() };
  } catch (error) {
    if (error instanceof ShapeError) return { ok: false, field: error.field, reason: error.message };
    throw error;
  }
}

/** Checks a value (read from a journal line, or about to be written) against the {@link QueueRecord} union. */
export function parseQueueRecord(value: unknown): Parsed<QueueRecord> {
  return parsed(() => checkRecord(value));
}

/** Checks a JSON value read from a snapshot line against {@link QueueEntry}. */
export function parseQueueEntry(value: unknown): Parsed<QueueEntry> {
  return parsed(() => checkEntry(value, 'entry'));
}
