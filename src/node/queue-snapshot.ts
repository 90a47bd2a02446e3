import { readFile } from 'node:fs/promises';
import { StressError } from '../protocol/index.ts';
import type { QueueEntry } from '../queue/queue-entry.ts';
import { writeFileAtomic } from './atomic-write.ts';
import { decodeJournalLine, encodeJournalLine } from './journal-line.ts';
import { parseQueueEntry } from './parse-queue-record.ts';
import { QueueJournalState } from './queue-journal-state.ts';

/** Version of the snapshot layout written by {@link writeQueueSnapshot}. */
export const SNAPSHOT_SCHEMA_VERSION = 1;

const KIND = 'vitest-stress queue snapshot';

/** The first line of a snapshot file. */
interface SnapshotHeader {
  readonly schema_version: number;
  readonly kind: string;
  /** The snapshot covers every journal before this generation; replay starts at this one. */
  readonly generation: number;
  readonly lastSequence: number;
  readonly entries: number;
  readonly deadLetters: number;
}

/** A snapshot read back: the state it holds and the first journal generation it does not cover. */
export interface QueueSnapshot {
  readonly generation: number;
  readonly state: QueueJournalState;
}

/**
 * Writes the state atomically as checksummed JSON lines: a header, then one line per live entry and one per
 * dead letter, so a bad snapshot can be reported by line like a journal.
 */
export async function writeQueueSnapshot(
  path: string,
  generation: number,
  state: QueueJournalState,
): Promise<void> {
  const entries = state.entries();
  const deadLetters = state.deadLetters();
  const header: SnapshotHeader = {
    schema_version: SNAPSHOT_SCHEMA_VERSION,
    kind: KIND,
    generation,
    lastSequence: state.lastSequence,
    entries: entries.length,
    deadLetters: deadLetters.length,
  };
  const lines = [encodeJournalLine(header)];
  for (const entry of entries) lines.push(encodeJournalLine(entry));
  for (const entry of deadLetters) lines.push(encodeJournalLine(entry));
  await writeFileAtomic(path, lines.join(''));
}

function corrupted(path: string, line: number, problem: string): StressError {
  return new StressError(
    'ERR_STORE_CORRUPTED',
    `Expected the queue snapshot \`${path}\` to be intact, but line ${line} is not: ${problem}. The store ` +
      'refuses to open rather than lose entries; restore the file from a backup or move the directory aside.',
    { details: { path, line } },
  );
}

function readHeader(path: string, text: string | undefined): SnapshotHeader {
  if (text === undefined) throw corrupted(path, 1, 'the file is empty');
  const decoded = decodeJournalLine(text);
  if (!decoded.ok) throw corrupted(path, 1, decoded.reason);
  const h = decoded.value as Partial<SnapshotHeader>;
  if (h.kind !== KIND || h.schema_version !== SNAPSHOT_SCHEMA_VERSION) {
    throw corrupted(path, 1, `expected a "${KIND}" header of schema_version ${SNAPSHOT_SCHEMA_VERSION}`);
  }
  const counts = [h.generation, h.lastSequence, h.entries, h.deadLetters];
  if (!counts.every((n) => Number.isSafeInteger(n) && (n as number) >= 0)) {
    throw corrupted(path, 1, 'expected generation, lastSequence, entries and deadLetters to be counts');
  }
  return h as SnapshotHeader;
}

/** Reads a snapshot, or `undefined` when there is none; any damage throws `ERR_STORE_CORRUPTED` naming the line. */
export async function readQueueSnapshot(path: string): Promise<QueueSnapshot | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  // Written atomically, so unlike a journal a snapshot has no torn tail to forgive.
  if (!text.endsWith('\n'))
    throw corrupted(path, text.split('\n').length, 'the file does not end with a newline');
  const lines = text.slice(0, -1).split('\n');
  const header = readHeader(path, lines[0]);
  const expected = 1 + header.entries + header.deadLetters;
  if (lines.length !== expected) {
    throw corrupted(
      path,
      Math.min(lines.length, expected) + 1,
      `the header announces ${expected} lines, got ${lines.length}`,
    );
  }
  const entries: QueueEntry[] = [];
  const deadLetters: QueueEntry[] = [];
  const seen = new Set<string>();
  for (let i = 1; i < lines.length; i++) {
    const decoded = decodeJournalLine(lines[i]!);
    if (!decoded.ok) throw corrupted(path, i + 1, decoded.reason);
    const entry = parseQueueEntry(decoded.value);
    if (!entry.ok) throw corrupted(path, i + 1, entry.reason);
    if (seen.has(entry.value.entryId))
      throw corrupted(path, i + 1, `entry "${entry.value.entryId}" appears twice`);
    seen.add(entry.value.entryId);
    (i <= header.entries ? entries : deadLetters).push(entry.value);
  }
  return {
    generation: header.generation,
    state: new QueueJournalState(header.lastSequence, entries, deadLetters),
  };
}
