import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { StressError } from '../protocol/index.ts';
import { syncDirectory } from './atomic-write.ts';
import { JournalFile, type JournalIoStats } from './journal-file.ts';
import { QueueJournalState } from './queue-journal-state.ts';
import { readQueueSnapshot } from './queue-snapshot.ts';
import { replayJournal } from './replay-journal.ts';
import { journalFileName, listStoreFiles } from './store-layout.ts';

/** A store directory brought back to a consistent state, ready for appends. */
export interface RecoveredStore {
  readonly state: QueueJournalState;
  /** The journal to append to: the newest one, with any torn tail cut off. */
  readonly journal: JournalFile;
  readonly generation: number;
  /** Records replayed from journals, i.e. not yet in the snapshot. */
  readonly records: number;
  readonly warnings: readonly string[];
}

function missingJournal(directory: string, generation: number, found: string): StressError {
  const path = join(directory, journalFileName(generation));
  return new StressError(
    'ERR_STORE_CORRUPTED',
    `Expected the queue journal \`${path}\` to exist (the snapshot and journals must cover every generation), ` +
      `got ${found} instead. The store refuses to open rather than lose entries.`,
    { details: { path, line: 0 } },
  );
}

/**
 * Reads the snapshot (if any), replays the journals from its generation on, cuts a torn last record off the
 * newest journal, and removes what a crash left behind (temp files, journals the snapshot already covers).
 * Must run under the store lock.
 */
export async function recoverStore(directory: string, io: JournalIoStats): Promise<RecoveredStore> {
  const files = await listStoreFiles(directory);
  const snapshot = await readQueueSnapshot(files.snapshotPath);
  const base = snapshot?.generation ?? 0;
  const state = snapshot?.state ?? new QueueJournalState();
  const journals = files.journals.filter((journal) => journal.generation >= base);
  journals.forEach((journal, i) => {
    if (journal.generation !== base + i) throw missingJournal(directory, base + i, `\`${journal.path}\``);
  });
  if (snapshot === undefined && files.journals.length > 0 && journals[0]?.generation !== 0) {
    throw missingJournal(directory, 0, 'no snapshot either');
  }
  const warnings: string[] = [];
  let records = 0;
  let intactBytes = 0;
  for (const [i, ref] of journals.entries()) {
    const replay = await replayJournal(ref.path, state, i === journals.length - 1);
    records += replay.records;
    intactBytes = replay.intactBytes;
    if (replay.torn !== undefined) {
      warnings.push(
        `Dropped a torn last record at ${ref.path}:${replay.torn.line} (${replay.torn.reason}), left by a crash ` +
          `mid-write before it was acknowledged; the file was truncated to ${intactBytes} bytes.`,
      );
    }
  }
  const generation = journals.at(-1)?.generation ?? base;
  // JournalFile.open truncates the file to the intact length, which is what drops the torn record on disk.
  const journal = await JournalFile.open(join(directory, journalFileName(generation)), intactBytes, io);
  if (journals.length === 0) await syncDirectory(directory);
  for (const ref of files.journals) if (ref.generation < base) await rm(ref.path, { force: true });
  for (const leftover of files.leftovers) await rm(leftover, { force: true });
  return { state, journal, generation, records, warnings };
}
