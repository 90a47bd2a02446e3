import { randomBytes } from 'node:crypto';
import { formatSalt, parseSalt } from './journal-line.ts';

/** The store format this version writes and reads: headers with a salt, records with a checksum and an lsn. */
export const STORE_FORMAT = 2;

/** The `kind` of a journal header. */
export const JOURNAL_KIND = 'vitest-stress queue journal';

/** The first line of a journal file. */
export interface JournalHeader {
  readonly kind: typeof JOURNAL_KIND;
  readonly format: typeof STORE_FORMAT;
  /** The generation in the file name, repeated so a renamed or swapped file is noticed. */
  readonly generation: number;
  /** The lsn of the first line after the header: one more than the last line of the journal before it. */
  readonly firstLsn: number;
  /** Random per file; seeds the checksum of every line, so lines from other files never verify here. */
  readonly salt: string;
}

/** A fresh random salt. */
export function newSalt(): number {
  return randomBytes(4).readUInt32BE(0);
}

/** The header of a new journal. */
export function journalHeader(generation: number, firstLsn: number, salt: number): JournalHeader {
  return { kind: JOURNAL_KIND, format: STORE_FORMAT, generation, firstLsn, salt: formatSalt(salt) };
}

const isCount = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 0;

/** The header's salt and first lsn, or why `value` is not the header of journal `generation`. */
export function checkJournalHeader(
  value: Record<string, unknown>,
  generation: number,
): { readonly salt: number; readonly firstLsn: number } | string {
  if (value.kind !== JOURNAL_KIND || value.format !== STORE_FORMAT) {
    return `expected a "${JOURNAL_KIND}" header of format ${STORE_FORMAT}`;
  }
  if (value.generation !== generation) {
    return `the header says generation ${String(value.generation)}, the file name ${generation}`;
  }
  const salt = parseSalt(value.salt);
  if (!isCount(value.firstLsn) || value.firstLsn < 1 || salt === undefined) {
    return 'expected `firstLsn` to be a positive integer and `salt` 8 hex digits';
  }
  return { salt, firstLsn: value.firstLsn };
}
