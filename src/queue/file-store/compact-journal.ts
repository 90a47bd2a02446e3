import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { syncDirectory } from '../../io/atomic-write.ts';
import { JournalFile, type JournalIoStats } from './journal-file.ts';
import { newSalt } from './journal-header.ts';
import { encodeJournalLine } from './journal-line.ts';
import type { QueueJournalState } from './queue-journal-state.ts';
import { writeQueueSnapshot } from './queue-snapshot.ts';
import { journalFileName, SNAPSHOT_FILE_NAME } from './store-layout.ts';

/** The journal a store appends to and what compaction needs to know about the journals before it. */
export interface JournalCursor {
  journal: JournalFile;
  /** The lsn the next journal line gets. */
  nextLsn: number;
  /** The lsn the snapshot on disk covers the journal up to. */
  snapshotLsn: number;
  /** Generations before the current journal still on disk because no snapshot covers them yet. */
  olderJournals: number[];
}

/**
 * Moves appends to a new journal: creates generation g+1 (its header says it starts at the lsn after the seal),
 * fsyncs the directory, then appends the seal record to journal g, whose lsn the new journal's header follows.
 * A crash before the seal leaves g+1 holding nothing, which recovery removes; a failure removes it here and
 * leaves appends on journal g.
 */
export async function rotateJournal(
  directory: string,
  cursor: JournalCursor,
  io: JournalIoStats,
): Promise<void> {
  const current = cursor.journal;
  const generation = current.identity.generation + 1;
  const sealLsn = cursor.nextLsn;
  const path = join(directory, journalFileName(generation));
  const next = await JournalFile.create(path, { generation, salt: newSalt() }, sealLsn + 1, io);
  try {
    await syncDirectory(directory);
    const seal = JSON.stringify({ op: 'seal', next: generation });
    await current.append(Buffer.from(encodeJournalLine(current.identity.salt, sealLsn, sealLsn, seal)));
  } catch (error) {
    await next.close();
    await rm(path, { force: true });
    throw error;
  }
  cursor.journal = next;
  cursor.nextLsn = sealLsn + 1;
  cursor.olderJournals.push(current.identity.generation);
  await current.close();
}

/**
 * Compaction: rotates to a new journal, writes the snapshot of `state` (the state as of the seal) atomically,
 * then deletes the journals it covers. A crash before the snapshot's rename leaves the old snapshot and every
 * journal since (replayed in order); after it, the older journals are covered and removed on open. When older
 * journals are still uncovered (an earlier snapshot failed, or a crash came between rotation and snapshot), it
 * does not rotate again: the snapshot covers the current journal up to its last line instead, so failed
 * compactions never pile up journal files.
 */
export async function compactJournal(
  directory: string,
  cursor: JournalCursor,
  state: QueueJournalState,
  io: JournalIoStats,
  beforeSnapshot?: () => Error | undefined,
): Promise<void> {
  if (cursor.olderJournals.length === 0) await rotateJournal(directory, cursor, io);
  const fault = beforeSnapshot?.();
  if (fault !== undefined) throw fault;
  const lsn = cursor.nextLsn - 1;
  const position = { lsn, journal: cursor.journal.identity.generation };
  await writeQueueSnapshot(join(directory, SNAPSHOT_FILE_NAME), position, state);
  cursor.snapshotLsn = lsn;
  for (const generation of cursor.olderJournals.splice(0)) {
    await rm(join(directory, journalFileName(generation)), { force: true });
  }
}
