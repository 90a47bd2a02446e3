import { StressError } from '../../protocol/index.ts';
import type { QueueRecord } from '../queue-record.ts';
import { type EntryStanding, recordProblem, standingAfter } from './queue-journal-state.ts';

/** The appends of one group commit that may be written, and one outcome per append (an error = refused). */
export interface Admission<T> {
  readonly accepted: readonly T[];
  readonly outcomes: ReadonlyArray<Error | undefined>;
}

function unfitRecord(problem: string): StressError {
  return new StressError(
    'ERR_UNKNOWN_ENTRY',
    `Expected every record of an append to fit the journaled queue state, got one where ${problem}. ` +
      'Nothing of this append was written.',
  );
}

/**
 * Checks each append of a batch, in order, against the durable state plus the appends admitted before it, and
 * refuses (whole) any append with a record recovery would have to call corruption, such as an ack of an entry
 * never enqueued. Checking at write time rather than at `append()` leaves nothing to undo when a write fails.
 */
export function admitAppends<T extends { readonly records: readonly QueueRecord[] }>(
  batch: readonly T[],
  durableStanding: (entryId: string) => EntryStanding | undefined,
): Admission<T> {
  const ahead = new Map<string, EntryStanding | undefined>();
  const accepted: T[] = [];
  const outcomes: (Error | undefined)[] = [];
  for (const pending of batch) {
    const mine = new Map<string, EntryStanding | undefined>();
    const standingOf = (id: string): EntryStanding | undefined => {
      if (mine.has(id)) return mine.get(id);
      return ahead.has(id) ? ahead.get(id) : durableStanding(id);
    };
    let problem: string | undefined;
    for (const record of pending.records) {
      problem = recordProblem(record, standingOf);
      if (problem !== undefined) break;
      const [id, standing] = standingAfter(record);
      mine.set(id, standing);
    }
    if (problem === undefined) {
      for (const [id, standing] of mine) ahead.set(id, standing);
      accepted.push(pending);
    }
    outcomes.push(problem === undefined ? undefined : unfitRecord(problem));
  }
  return { accepted, outcomes };
}
