import { readFile } from 'node:fs/promises';
import { StressError } from '../protocol/index.ts';
import { decodeJournalLine } from './journal-line.ts';
import { parseQueueRecord } from './parse-queue-record.ts';
import type { QueueJournalState } from './queue-journal-state.ts';

/** A torn last record found by {@link replayJournal}: a write the crash cut short, never acknowledged. */
export interface TornRecord {
  /** 1-based line number of the torn record. */
  readonly line: number;
  readonly reason: string;
}

/** What replaying one journal file found. */
export interface JournalReplay {
  /** Records applied. */
  readonly records: number;
  /** Bytes of intact records: the file is cut to this length when the last record is torn. */
  readonly intactBytes: number;
  readonly torn?: TornRecord;
}

const NEWLINE = 0x0a;

/** Builds the error for a damaged journal line; the message names the file and the line. */
export function journalCorrupted(path: string, line: number, problem: string): StressError {
  return new StressError(
    'ERR_STORE_CORRUPTED',
    `Expected every record of the queue journal \`${path}\` to be intact, but line ${line} is not: ${problem}. ` +
      'The store refuses to open rather than lose entries; restore the file from a backup or move it aside.',
    { details: { path, line } },
  );
}

/**
 * Applies every record of a journal file to `state`, in order. When `tailMayBeTorn`, a last line that is cut
 * short or fails its checksum is reported as torn instead of applied (a crash mid-write leaves exactly that);
 * any other damage, or a record that does not fit the state, throws `ERR_STORE_CORRUPTED` naming file and line.
 */
export async function replayJournal(
  path: string,
  state: QueueJournalState,
  tailMayBeTorn: boolean,
): Promise<JournalReplay> {
  const buffer = await readFile(path);
  let offset = 0;
  let line = 0;
  let records = 0;
  while (offset < buffer.length) {
    line++;
    const newline = buffer.indexOf(NEWLINE, offset);
    const end = newline === -1 ? buffer.length : newline;
    const isLast = newline === -1 || newline + 1 === buffer.length;
    const decoded =
      newline === -1
        ? { ok: false as const, reason: 'the record is incomplete (no newline after it)' }
        : decodeJournalLine(buffer.toString('utf8', offset, end));
    if (!decoded.ok) {
      if (isLast && tailMayBeTorn)
        return { records, intactBytes: offset, torn: { line, reason: decoded.reason } };
      throw journalCorrupted(path, line, decoded.reason);
    }
    // A record whose checksum holds was written whole: if it does not fit, the journal itself is wrong.
    const record = parseQueueRecord(decoded.value);
    if (!record.ok) throw journalCorrupted(path, line, record.reason);
    const problem = state.problemWith(record.value);
    if (problem !== undefined) throw journalCorrupted(path, line, problem);
    state.apply(record.value);
    records++;
    offset = end + 1;
  }
  return { records, intactBytes: buffer.length };
}
