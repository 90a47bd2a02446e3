import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { syncDirectory } from '../../io/atomic-write.ts';
import { StressError } from '../../protocol/index.ts';
import { JournalFile, type JournalIoStats } from './journal-file.ts';
import { newSalt } from './journal-header.ts';
import { QueueJournalState } from './queue-journal-state.ts';
import { type QueueSnapshot, readQueueSnapshot, writeQueueSnapshot } from './queue-snapshot.ts';
import { journalCorrupted, type RecordRef, replayJournal, type TornTail } from './replay-journal.ts';
import { scanLines } from './scan-lines.ts';
import { storeFormatError } from './store-format-error.ts';
import { type JournalFileRef, journalFileName, listStoreFiles } from './store-layout.ts';

/** What opening a store directory found and did, beyond the state itself; `FileQueueStore.recovery` holds it. */
export interface StoreRecovery {
  /** The directory held no store: an empty one was created. */
  readonly created: boolean;
  /** The last process that used the store closed it (its last journal line is the close record). */
  readonly clean: boolean;
  /** Every journal line up to this lsn was recovered; nothing after it was (lsns number every line). */
  readonly throughLsn: number;
  /** The last record recovered from a journal, or `undefined` when the journals hold none after the snapshot. */
  readonly lastRecord: (RecordRef & { readonly path: string }) | undefined;
  /** The unfinished group commit dropped from the end of the newest journal, if there was one. */
  readonly torn: (TornTail & { readonly path: string }) | undefined;
  /** Files removed: temp files of interrupted writes, journals the snapshot covers, an unfinished new journal. */
  readonly removed: readonly string[];
}

/** A store directory brought back to a consistent state, ready for appends. */
export interface RecoveredStore {
  readonly state: QueueJournalState;
  /** The journal to append to: the newest one, with any torn tail cut off. */
  readonly journal: JournalFile;
  /** The lsn the next journal line gets. */
  readonly nextLsn: number;
  /** The lsn the snapshot covers the journal up to. */
  readonly snapshotLsn: number;
  /** Generations before the current journal that are still needed, because no snapshot covers them yet. */
  readonly olderJournals: readonly number[];
  /** Records replayed from journals, i.e. not yet in the snapshot. */
  readonly records: number;
  readonly recovery: StoreRecovery;
  readonly warnings: readonly string[];
}

function missingFile(path: string, problem: string): StressError {
  return new StressError(
    'ERR_STORE_CORRUPTED',
    `Expected \`${path}\` to exist: ${problem}. The store refuses to open rather than lose entries; restore the ` +
      'directory from a backup, or move it aside to start empty.',
    { details: { path, line: 0, offset: 0 } },
  );
}

/** True when a journal holds nothing after its first line: a header (or less) that a crash left alone. */
async function holdsNoLines(path: string): Promise<boolean> {
  let lines = 0;
  await scanLines(path, (line) => {
    lines = line.number;
    return line.number < 2;
  });
  return lines <= 1;
}

/** Creates an empty store: journal 1 first, then the snapshot that points at it, so a crash leaves either. */
async function createStore(
  directory: string,
  snapshotPath: string,
  io: JournalIoStats,
): Promise<JournalFile> {
  const journal = await JournalFile.create(
    join(directory, journalFileName(1)),
    { generation: 1, salt: newSalt() },
    1,
    io,
  );
  try {
    await syncDirectory(directory);
    await writeQueueSnapshot(snapshotPath, { lsn: 0, journal: 1 }, new QueueJournalState());
  } catch (error) {
    await journal.close();
    throw error;
  }
  return journal;
}

function describeRef(ref: RecordRef): string {
  return ref.entryId === undefined ? `"${ref.op}"` : `"${ref.op}" of entry "${ref.entryId}"`;
}

function tornWarning(torn: TornTail & { path: string }, keptBytes: number): string {
  const lsns =
    torn.lastLsn === undefined ? `from lsn ${torn.firstLsn}` : `lsn ${torn.firstLsn}–${torn.lastLsn}`;
  const readable =
    torn.records.length === 0
      ? 'no record of it could be read'
      : `records read from it: ${torn.records.map((r) => `${describeRef(r)} (lsn ${r.lsn})`).join(', ')}`;
  return (
    `Dropped the unfinished last group commit of ${torn.path} (${lsns}) from line ${torn.line} ` +
    `(byte ${torn.offset}, ${torn.bytes} bytes): ${torn.reason}. A crash mid-write leaves exactly this, and ` +
    'the appends of an unfinished commit were never acknowledged; unless the file was damaged after it was ' +
    `written, nothing acknowledged is lost. ${readable}. The file was truncated to ${keptBytes} bytes.`
  );
}

function uncleanWarning(recovery: StoreRecovery, lockWasStale: boolean, path: string): string {
  const last =
    recovery.lastRecord === undefined
      ? 'the snapshot; the journal holds no record after it'
      : `${describeRef(recovery.lastRecord)} at ${recovery.lastRecord.path}:${recovery.lastRecord.line}`;
  const where = `Recovered every journal line through lsn ${recovery.throughLsn} (the last record: ${last}).`;
  return lockWasStale
    ? `The store was not closed: the process that had it open stopped (a stale lock was left). ${where} ` +
        'A record it wrote after that, if any, was still being written when it stopped and was never acknowledged.'
    : `The store was not closed cleanly, yet no lock was left behind: either its lock file was deleted by hand ` +
        `after a crash, or the end of ${path} was cut off. ${where} If it was cut off, every record written ` +
        'after that lsn is lost.';
}

/**
 * Reads the snapshot, replays the journals after it (checking every line), cuts an unfinished last group commit
 * off the newest journal, and removes what a crash left behind (temp files, journals the snapshot covers, a new
 * journal that was never used). Creates the store when the directory holds none. Any damage it cannot prove
 * harmless throws `ERR_STORE_CORRUPTED` naming the file and line; an old store format throws `ERR_STORE_FORMAT`.
 * Must run under the store lock.
 */
export async function recoverStore(
  directory: string,
  io: JournalIoStats,
  lockWasStale: boolean,
): Promise<RecoveredStore> {
  const files = await listStoreFiles(directory);
  const firstJournal = files.journals[0];
  if (firstJournal?.generation === 0) throw storeFormatError(firstJournal.path, 1);
  const removed: string[] = [];
  const warnings: string[] = [];
  const snapshot: QueueSnapshot | undefined = await readQueueSnapshot(files.snapshotPath);
  if (snapshot === undefined) {
    const only = files.journals.length === 1 ? firstJournal : undefined;
    // A crash while the store was being created leaves journal 1 with at most its header and no snapshot.
    const unfinished = only?.generation === 1 && (await holdsNoLines(only.path));
    if (files.journals.length > 0 && !unfinished) {
      const names = files.journals.map((j) => j.path).join(', ');
      throw missingFile(files.snapshotPath, `the journals ${names} need the snapshot they continue`);
    }
    if (unfinished) {
      await rm(only!.path);
      removed.push(only!.path);
    }
    const journal = await createStore(directory, files.snapshotPath, io);
    for (const leftover of files.leftovers) await rm(leftover, { force: true });
    removed.push(...files.leftovers);
    const recovery: StoreRecovery = {
      created: true,
      clean: true,
      throughLsn: 0,
      lastRecord: undefined,
      torn: undefined,
      removed,
    };
    return {
      state: new QueueJournalState(),
      journal,
      nextLsn: 1,
      snapshotLsn: 0,
      olderJournals: [],
      records: 0,
      recovery,
      warnings,
    };
  }
  const state = snapshot.state;
  const base = snapshot.journal;
  const covered = files.journals.filter((j) => j.generation < base);
  const chain = files.journals.filter((j) => j.generation >= base);
  chain.forEach((journal, i) => {
    if (journal.generation !== base + i) {
      const path = join(directory, journalFileName(base + i));
      throw missingFile(
        path,
        `the journals from generation ${base} on must all be there, and ${journal.path} follows`,
      );
    }
  });
  if (chain.length === 0) {
    throw missingFile(join(directory, journalFileName(base)), `${files.snapshotPath} continues in it`);
  }
  // A crash between creating the next journal and sealing this one leaves the new one empty: it was never used.
  const last = chain.at(-1)!;
  const maybeUnused = chain.length > 1 && (await holdsNoLines(last.path));
  let records = 0;
  let nextLsn: number | undefined;
  let newest: { ref: JournalFileRef; salt: number; intactBytes: number } | undefined;
  let clean = false;
  let lastRecord: StoreRecovery['lastRecord'];
  let torn: StoreRecovery['torn'];
  for (const [i, ref] of chain.entries()) {
    const isLast = i === chain.length - 1;
    const beforeUnused = maybeUnused && i === chain.length - 2;
    const replay = await replayJournal(state, {
      path: ref.path,
      generation: ref.generation,
      firstLsn: nextLsn,
      skipThrough: snapshot.lsn,
      tailMayBeTorn: isLast || beforeUnused,
    });
    records += replay.records;
    nextLsn = replay.nextLsn;
    if (replay.lastRecord !== undefined) lastRecord = { ...replay.lastRecord, path: ref.path };
    if (replay.torn !== undefined) torn = { ...replay.torn, path: ref.path };
    newest = { ref, salt: replay.salt, intactBytes: replay.intactBytes };
    clean = replay.closed;
    if (isLast) {
      if (replay.sealedTo !== undefined) {
        throw missingFile(
          join(directory, journalFileName(replay.sealedTo)),
          `${ref.path} ends with a seal that moved appends to it`,
        );
      }
      break;
    }
    if (replay.sealedTo === undefined) {
      if (!beforeUnused) {
        throw journalCorrupted(
          ref.path,
          replay.lines + 2,
          replay.intactBytes,
          `the journal does not end with the seal record, yet ${chain[i + 1]!.path} follows it`,
        );
      }
      await rm(last.path);
      removed.push(last.path);
      break;
    }
  }
  const throughLsn = nextLsn! - 1;
  if (throughLsn < snapshot.lsn) {
    const { ref, intactBytes } = newest!;
    throw journalCorrupted(
      ref.path,
      0,
      intactBytes,
      `the journals end at lsn ${throughLsn}, before the lsn ${snapshot.lsn} the snapshot covers: lines are missing`,
    );
  }
  const recovery: StoreRecovery = { created: false, clean, throughLsn, lastRecord, torn, removed };
  if (torn !== undefined) warnings.push(tornWarning(torn, newest!.intactBytes));
  if (!clean) warnings.push(uncleanWarning(recovery, lockWasStale, newest!.ref.path));
  const { ref, salt, intactBytes } = newest!;
  // JournalFile.open truncates the file to the intact length, which is what drops a torn tail on disk.
  const journal = await JournalFile.open(ref.path, { generation: ref.generation, salt }, intactBytes, io);
  for (const path of [...covered.map((j) => j.path), ...files.leftovers]) {
    await rm(path, { force: true });
    removed.push(path);
  }
  const olderJournals = chain.filter((j) => j.generation < ref.generation).map((j) => j.generation);
  const snapshotLsn = snapshot.lsn;
  return { state, journal, nextLsn: nextLsn!, snapshotLsn, olderJournals, records, recovery, warnings };
}
