import { describeValue, StressError } from '../../protocol/index.ts';
import type { QueueRecord } from '../queue-record.ts';
import { parseQueueRecord } from './parse-queue-record.ts';

function invalidRecord(index: number, field: string, reason: string): StressError {
  return new StressError(
    'ERR_INVALID_RECORD',
    `Expected record ${index} of the append to be a queue record the store can read back, but ${reason}. ` +
      'Nothing of this append was written.',
    { details: { index, field } },
  );
}

/**
 * The JSON text of `record`, checked the way recovery will check it: the text is parsed back and validated,
 * so what `JSON.stringify` drops or changes (NaN, undefined, a `toJSON`) cannot reach the journal and make
 * the store impossible to reopen. Throws `ERR_INVALID_RECORD` naming the field.
 */
export function encodeQueueRecord(record: QueueRecord, index: number): string {
  let json: string | undefined;
  try {
    json = JSON.stringify(record);
  } catch (error) {
    throw invalidRecord(index, 'record', `it cannot be written as JSON (${(error as Error).message})`);
  }
  if (json === undefined) throw invalidRecord(index, 'record', `got ${describeValue(record)}`);
  const written = parseQueueRecord(JSON.parse(json));
  if (written.ok) return json;
  // The value itself names what is wrong more precisely (`NaN` rather than the `null` JSON made of it).
  const given = parseQueueRecord(record);
  const problem = given.ok ? { ...written, reason: `${written.reason} once written as JSON` } : given;
  throw invalidRecord(index, problem.field, problem.reason);
}

/** Encodes every record of an append, or throws `ERR_INVALID_RECORD` for the first invalid one. */
export function encodeQueueRecords(records: readonly QueueRecord[]): string[] {
  if (!Array.isArray(records)) {
    throw new StressError(
      'ERR_INVALID_RECORD',
      `Expected \`records\` to be an array of queue records, got ${describeValue(records)}. Nothing was written.`,
      { details: { field: 'records' } },
    );
  }
  return records.map(encodeQueueRecord);
}
