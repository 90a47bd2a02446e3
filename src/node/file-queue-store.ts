import { mkdir } from 'node:fs/promises';
import { StressError } from '../protocol/index.ts';
import type { QueueRecord } from '../queue/queue-record.ts';
import type { QueueStore, RecoveredQueue } from '../queue/queue-store.ts';
import { admitAppends } from './admit-appends.ts';
import { compactJournal } from './compact-journal.ts';
import { encodeQueueRecords } from './encode-queue-record.ts';
import {
  type FileQueueStoreOptions,
  type ResolvedFileQueueStoreOptions,
  resolveFileQueueStoreOptions,
} from './file-queue-store-options.ts';
import { GroupCommit } from './group-commit.ts';
import type { JournalFile, JournalIoStats } from './journal-file.ts';
import { journalLineOf } from './journal-line.ts';
import type { QueueJournalState } from './queue-journal-state.ts';
import { recoverStore } from './recover-store.ts';
import { acquireStoreLock, type StoreLock } from './store-lock.ts';

/** Counters of a {@link FileQueueStore}, for tests and benchmarks. */
export interface FileQueueStoreStats extends Readonly<JournalIoStats> {
  /** Appends made durable. */
  readonly appends: number;
  /** Records made durable. */
  readonly records: number;
  /** Snapshots written. */
  readonly compactions: number;
  /** Generation of the journal being appended to. */
  readonly generation: number;
  /** Why the last compaction failed, if it did; the journal keeps every record meanwhile. */
  readonly compactionError: unknown;
}

interface PendingAppend {
  readonly records: readonly QueueRecord[];
  readonly data: string;
}

interface OpenStore {
  readonly lock: StoreLock;
  readonly state: QueueJournalState;
  journal: JournalFile;
  generation: number;
  sinceSnapshot: number;
}

type Phase = 'new' | 'opening' | 'open' | 'closing' | 'closed';

/**
 * The durable {@link QueueStore}: an append-only journal of checksummed JSON lines with group commit, periodic
 * snapshots, crash recovery and a `LOCK` file. Construct it, then call `open()` (the queue does) before `append`.
 * The directory holds `journal-<generation>.jsonl`, `snapshot.jsonl` and `LOCK`. A record about an entry the
 * journal does not hold is refused by `append` (`ERR_UNKNOWN_ENTRY`) and is corruption on replay.
 * @example
 * const store = new FileQueueStore({ directory: '.stress/queue' });
 * const { entries, warnings } = await store.open();
 */
export class FileQueueStore implements QueueStore {
  readonly options: ResolvedFileQueueStoreOptions;
  private phase: Phase = 'new';
  private store: OpenStore | undefined;
  private opening: Promise<unknown> | undefined;
  private readonly io: JournalIoStats = { writes: 0, syncs: 0 };
  private readonly counts = { appends: 0, records: 0, compactions: 0 };
  private compactionError: unknown;
  private readonly commit: GroupCommit<PendingAppend>;

  constructor(options: FileQueueStoreOptions) {
    this.options = resolveFileQueueStoreOptions(options);
    this.commit = new GroupCommit(
      { lingerMs: this.options.groupCommitMs, maxWeight: this.options.maxBatch },
      (batch) => this.commitBatch(batch),
    );
  }

  /** Counters since construction. */
  get stats(): FileQueueStoreStats {
    return {
      ...this.io,
      ...this.counts,
      generation: this.store?.generation ?? 0,
      compactionError: this.compactionError,
    };
  }

  /**
   * Locks the directory and recovers its state: snapshot plus journal replay. A torn last record is dropped
   * and reported in `warnings`; other damage throws `ERR_STORE_CORRUPTED` naming the file and line.
   */
  async open(): Promise<RecoveredQueue> {
    if (this.phase !== 'new') {
      throw new StressError(
        'ERR_STORE_CLOSED',
        `Expected a new FileQueueStore to open, got one that is ${this.phase}.`,
      );
    }
    this.phase = 'opening';
    const opening = this.recover();
    this.opening = opening.catch(() => undefined);
    try {
      const { store, recovered } = await opening;
      this.store = store;
      this.phase = this.phase === 'opening' ? 'open' : this.phase;
      return recovered;
    } catch (error) {
      this.phase = 'closed';
      throw error;
    }
  }

  /**
   * Makes the records durable in order; resolves after the group commit holding them is fsynced. Rejects with
   * `ERR_INVALID_RECORD` naming the field (and writes nothing of the append) when a record is malformed.
   */
  append(records: readonly QueueRecord[]): Promise<void> {
    if (this.phase !== 'open') {
      return Promise.reject(
        new StressError(
          'ERR_STORE_CLOSED',
          `Expected the queue store to be open to append, got one that is ${this.phase}.`,
        ),
      );
    }
    const fault = this.options.faults?.beforeAppend();
    if (fault !== undefined) return Promise.reject(writeError(this.options.directory, fault));
    let data: string;
    try {
      // Encoded now, so a caller that later reuses its record objects cannot change what gets written; checked
      // as recovery will read it, so nothing written can make the store impossible to reopen.
      data = encodeQueueRecords(records).map(journalLineOf).join('');
    } catch (error) {
      return Promise.reject(error);
    }
    if (records.length === 0) return Promise.resolve();
    return this.commit.submit({ records, data }, records.length);
  }

  /**
   * Waits for pending appends, writes a final snapshot (a failure shows in `stats.compactionError`; the journal
   * still holds every record), closes the journal and releases the lock.
   */
  async close(): Promise<void> {
    if (this.phase === 'closed' || this.phase === 'closing') return;
    const wasOpening = this.phase === 'opening';
    this.phase = 'closing';
    if (wasOpening) await this.opening;
    await this.commit.idle();
    const store = this.store;
    if (store !== undefined && store.sinceSnapshot > 0) await this.compact(store);
    this.phase = 'closed';
    await store?.journal.close();
    await store?.lock.release();
  }

  private async recover(): Promise<{ store: OpenStore; recovered: RecoveredQueue }> {
    const { directory } = this.options;
    await mkdir(directory, { recursive: true }).catch((cause: unknown) => {
      throw new StressError('ERR_IO', `Expected to create the queue store directory \`${directory}\`.`, {
        cause,
      });
    });
    const lock = await acquireStoreLock(directory);
    try {
      const recovery = await recoverStore(directory, this.io);
      const warnings = lock.recoveredStale
        ? [`Took over a stale lock at ${lock.path}: the process that held it is gone.`, ...recovery.warnings]
        : recovery.warnings;
      const store: OpenStore = { lock, ...recovery, sinceSnapshot: recovery.records };
      return { store, recovered: store.state.recovered(warnings) };
    } catch (error) {
      await lock.release();
      if (StressError.is(error)) throw error;
      const reason = error instanceof Error ? error.message : String(error);
      const message = `Expected to read the queue store at \`${directory}\`, but it failed: ${reason}.`;
      throw new StressError('ERR_IO', message, { cause: error });
    }
  }

  private async commitBatch(batch: readonly PendingAppend[]): Promise<ReadonlyArray<Error | undefined>> {
    const store = this.store!;
    const { accepted, outcomes } = admitAppends(batch, (id) => store.state.standingOf(id));
    if (accepted.length === 0) return outcomes;
    try {
      await store.journal.append(Buffer.from(accepted.map((pending) => pending.data).join('')));
    } catch (error) {
      throw writeError(store.journal.path, error);
    }
    for (const pending of accepted) {
      for (const record of pending.records) store.state.apply(record);
      this.counts.appends++;
      this.counts.records += pending.records.length;
      store.sinceSnapshot += pending.records.length;
    }
    // The records are durable whatever happens here; a failed compaction is retried after the next batch.
    if (store.sinceSnapshot >= this.options.compactEvery) await this.compact(store);
    return outcomes;
  }

  private async compact(store: OpenStore): Promise<void> {
    try {
      const compaction = await compactJournal(this.options.directory, store, store.state, this.io);
      store.journal = compaction.journal;
      store.generation = compaction.generation;
      this.compactionError = compaction.snapshotError;
      if (compaction.snapshotError !== undefined) return;
      store.sinceSnapshot = 0;
      this.counts.compactions++;
    } catch (error) {
      this.compactionError = error;
    }
  }
}

function writeError(where: string, cause: unknown): StressError {
  const reason = cause instanceof Error ? cause.message : String(cause);
  return new StressError(
    'ERR_STORE_WRITE',
    `Expected the records to be written and fsynced to \`${where}\`, but the write failed: ${reason}. ` +
      'None of this append was kept.',
    { cause },
  );
}
