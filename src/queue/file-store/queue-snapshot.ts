import { writeFileAtomic } from '../../io/atomic-write.ts';
import { StressError } from '../../protocol/index.ts';
import type { QueueEntry } from '../queue-entry.ts';
import { newSalt, STORE_FORMAT } from './journal-header.ts';
import {
  decodeHeaderLine,
  decodeSnapshotLine,
  encodeHeaderLine,
  encodeSnapshotLine,
  formatSalt,
  parseSalt,
} from './journal-line.ts';
import { parseQueueEntry } from './parse-queue-record.ts';
import { QueueJournalState } from './queue-journal-state.ts';
import { scanLines } from './scan-lines.ts';
import { storeFormatError } from './store-format-error.ts';

const KIND = 'vitest-stress queue snapshot';

/** The first line of a snapshot file. */
interface SnapshotHeader {
  readonly kind: typeof KIND;
  readonly format: typeof STORE_FORMAT;
  /** The state is that of every journal line up to this lsn. */
  readonly lsn: number;
  /** The generation of the journal holding the line after `lsn`: replay starts there. */
  readonly journal: number;
  readonly lastSequence: number;
  readonly entries: number;
  readonly deadLetters: number;
  readonly salt: string;
}

/** Where a snapshot sits in the journal: the state up to `lsn`, continued by journal `journal`. */
export interface SnapshotPosition {
  readonly lsn: number;
  readonly journal: number;
}

/** A snapshot read back. */
export interface QueueSnapshot extends SnapshotPosition {
  readonly state: QueueJournalState;
}

/**
 * Writes the state atomically and streaming (bounded memory, whatever its size): a header, then one
 * checksummed line per live entry and one per dead letter, each line's checksum salted per file and tied to its
 * position, so a bad snapshot is reported by line.
 */
export async function writeQueueSnapshot(
  path: string,
  position: SnapshotPosition,
  state: QueueJournalState,
): Promise<void> {
  const entries = state.entries();
  const deadLetters = state.deadLetters();
  const salt = newSalt();
  const header: SnapshotHeader = {
    kind: KIND,
    format: STORE_FORMAT,
    lsn: position.lsn,
    journal: position.journal,
    lastSequence: state.lastSequence,
    entries: entries.length,
    deadLetters: deadLetters.length,
    salt: formatSalt(salt),
  };
  // Line by line as the file is written: the whole snapshot can exceed the longest string V8 can make.
  function* lines(): Generator<string> {
    yield encodeHeaderLine(header);
    let index = 0;
    for (const list of [entries, deadLetters]) {
      for (const entry of list) yield encodeSnapshotLine(salt, ++index, JSON.stringify(entry));
    }
  }
  await writeFileAtomic(path, lines());
}

/** Builds the error for a damaged snapshot; the message names the file, the line and the byte offset. */
function corrupted(path: string, line: number, offset: number, problem: string): StressError {
  return new StressError(
    'ERR_STORE_CORRUPTED',
    `Expected the queue snapshot \`${path}\` to be intact, but line ${line} (byte ${offset}) is not: ${problem}. ` +
      'The store refuses to open rather than lose entries; restore the directory from a backup, or move it ' +
      'aside to start empty.',
    { details: { path, line, offset } },
  );
}

const isCount = (n: unknown): n is number => Number.isSafeInteger(n) && (n as number) >= 0;

function checkHeader(path: string, value: Record<string, unknown>): SnapshotHeader | string {
  if (value.kind === KIND && value.schema_version === 1) throw storeFormatError(path, 1);
  if (value.kind !== KIND || value.format !== STORE_FORMAT) {
    return `expected a "${KIND}" header of format ${STORE_FORMAT}`;
  }
  const counts = [value.lsn, value.journal, value.lastSequence, value.entries, value.deadLetters];
  if (!counts.every(isCount) || parseSalt(value.salt) === undefined) {
    return 'expected lsn, journal, lastSequence, entries and deadLetters to be counts and salt 8 hex digits';
  }
  return value as unknown as SnapshotHeader;
}

/**
 * Reads a snapshot line by line (in bounded memory), or `undefined` when there is none. It was written
 * atomically, so unlike a journal it has no torn tail to forgive: any damage throws `ERR_STORE_CORRUPTED`
 * naming the line, and a snapshot of format 1 throws `ERR_STORE_FORMAT`.
 */
export async function readQueueSnapshot(path: string): Promise<QueueSnapshot | undefined> {
  let header: SnapshotHeader | undefined;
  let salt = 0;
  let lines = 0;
  let problem: StressError | undefined;
  const entries: QueueEntry[] = [];
  const deadLetters: QueueEntry[] = [];
  const seen = new Set<string>();
  let size: number;
  try {
    size = await scanLines(path, (line) => {
      const fail = (reason: string): false => {
        problem = corrupted(path, line.number, line.offset, reason);
        return false;
      };
      lines = line.number;
      if (!line.complete) return fail('the line is incomplete (no newline after it)');
      if (header === undefined) {
        const decoded = decodeHeaderLine(line.bytes);
        if (!decoded.ok) return fail(decoded.reason);
        const checked = checkHeader(path, decoded.value);
        if (typeof checked === 'string') return fail(checked);
        header = checked;
        salt = parseSalt(checked.salt)!;
        return true;
      }
      const index = line.number - 1;
      if (index > header.entries + header.deadLetters) {
        return fail(
          `the header announces ${header.entries + header.deadLetters} lines after it, this is one more`,
        );
      }
      const decoded = decodeSnapshotLine(salt, index, line.bytes);
      if (!decoded.ok) return fail(decoded.reason);
      const entry = parseQueueEntry(decoded.value);
      if (!entry.ok) return fail(entry.reason);
      if (seen.has(entry.value.entryId)) return fail(`entry "${entry.value.entryId}" appears twice`);
      seen.add(entry.value.entryId);
      (index <= header.entries ? entries : deadLetters).push(entry.value);
      return true;
    });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  if (problem !== undefined) throw problem;
  if (header === undefined) throw corrupted(path, 1, 0, 'the file is empty: its header is missing');
  const expected = header.entries + header.deadLetters;
  if (lines - 1 !== expected) {
    throw corrupted(
      path,
      lines + 1,
      size,
      `the header announces ${expected} lines after it, got ${lines - 1}`,
    );
  }
  return {
    lsn: header.lsn,
    journal: header.journal,
    state: new QueueJournalState(header.lastSequence, entries, deadLetters),
  };
}
