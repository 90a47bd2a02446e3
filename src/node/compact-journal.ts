import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { syncDirectory } from './atomic-write.ts';
import { JournalFile, type JournalIoStats } from './journal-file.ts';
import type { QueueJournalState } from './queue-journal-state.ts';
import { writeQueueSnapshot } from './queue-snapshot.ts';
import { journalFileName, listStoreFiles, SNAPSHOT_FILE_NAME } from './store-layout.ts';

/** The journal a store appends to, and its generation. */
export interface JournalCursor {
  readonly journal: JournalFile;
  readonly generation: number;
}

/** Where appends go after a compaction, and why its snapshot failed if it did. */
export interface Compaction extends JournalCursor {
  readonly snapshotError?: unknown;
}

/**
 * Starts journal generation g+1, then atomically writes the snapshot of `state` that says "replay from g+1",
 * then deletes the journals it covers. A crash before the snapshot's rename leaves the old snapshot and both
 * journals (replayed in order); after it, journal g is below the snapshot's generation and ignored. Appends
 * must move to g+1 even when the snapshot write failed, since it may have reached the disk anyway; only a
 * failure to create g+1 (thrown) leaves everything as it was.
 */
export async function compactJournal(
  directory: string,
  current: JournalCursor,
  state: QueueJournalState,
  io: JournalIoStats,
): Promise<Compaction> {
  const generation = current.generation + 1;
  const journal = await JournalFile.open(join(directory, journalFileName(generation)), 0, io);
  try {
    await syncDirectory(directory);
  } catch (error) {
    await journal.close();
    throw error;
  }
  let snapshotError: unknown;
  await writeQueueSnapshot(join(directory, SNAPSHOT_FILE_NAME), generation, state).catch((error: unknown) => {
    snapshotError = error;
  });
  await current.journal.close();
  if (snapshotError !== undefined) return { journal, generation, snapshotError };
  const { journals } = await listStoreFiles(directory);
  for (const ref of journals) if (ref.generation < generation) await rm(ref.path, { force: true });
  return { journal, generation };
}
