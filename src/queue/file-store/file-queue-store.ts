import { join } from 'node:path';
import { ioError } from '../../io/io-error.ts';
import { makeDirectory } from '../../io/make-directory.ts';
import { StressError } from '../../protocol/index.ts';
import type { QueueRecord } from '../queue-record.ts';
import type { QueueStore, RecoveredQueue } from '../queue-store.ts';
import { admitAppends } from './admit-appends.ts';
import { compactJournal, type JournalCursor } from './compact-journal.ts';
import { encodeQueueRecords } from './encode-queue-record.ts';
import {
  type FileQueueStoreOptions,
  type ResolvedFileQueueStoreOptions,
  resolveFileQueueStoreOptions,
} from './file-queue-store-options.ts';
import { GroupCommit } from './group-commit.ts';
import type { JournalIoStats } from './journal-file.ts';
import { encodeJournalLine } from './journal-line.ts';
import type { QueueJournalState } from './queue-journal-state.ts';
import { recoverStore, type StoreRecovery } from './recover-store.ts';
import { acquireStoreLock, LOCK_FILE_NAME, type StoreLock } from './store-lock.ts';

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
  /**
   * `ERR_STORE_COMPACTION` when the last compaction failed (its `cause` says why, its details how many failed in
   * a row and after how many more records the next try comes); the journal keeps every record meanwhile.
   */
  readonly compactionError: StressError | undefined;
  /** Warnings since open, oldest first (at most 100): compaction failures. */
  readonly warnings: readonly string[];
}

interface PendingAppend {
  readonly records: readonly QueueRecord[];
  /** The JSON text of each record, checked. */
  readonly json: readonly string[];
}

interface OpenStore extends JournalCursor {
  readonly lock: StoreLock;
  readonly state: QueueJournalState;
  sinceSnapshot: number;
  /** Entries and dead letters in the last snapshot written (or in the state recovered). */
  snapshotSize: number;
}

const CLOSE_RECORD = JSON.stringify({ op: 'close' });

type Phase = 'new' | 'opening' | 'open' | 'closing' | 'closed';

/**
 * The durable {@link QueueStore}: an append-only journal of checksummed, numbered JSON lines with group commit,
 * periodic snapshots, crash recovery that tells damage from a crash, and a `LOCK` file. Construct it, then call
 * `open()` (the queue does) before `append`. The directory holds `journal-<generation>.jsonl`, `snapshot.jsonl`
 * and `LOCK` (format: decision 0006). A record about an entry the journal does not hold is refused by `append`
 * (`ERR_UNKNOWN_ENTRY`) and is corruption on replay.
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
  private compactionError: StressError | undefined;
  private compactionFailures = 0;
  /** `sinceSnapshot` at which the next compaction runs: `compactEvery`, pushed back after each failure. */
  private compactAt: number;
  private readonly warnings: string[] = [];
  private recovered: StoreRecovery | undefined;
  private readonly commit: GroupCommit<PendingAppend>;

  constructor(options: FileQueueStoreOptions) {
    this.options = resolveFileQueueStoreOptions(options);
    this.compactAt = this.options.compactEvery;
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
      generation: this.store?.journal.identity.generation ?? 0,
      compactionError: this.compactionError,
      warnings: [...this.warnings],
    };
  }

  /** What `open()` found and did (clean or not, through which lsn, a dropped torn tail); `undefined` before. */
  get recovery(): StoreRecovery | undefined {
    return this.recovered;
  }

  /**
   * Locks the directory and recovers its state: snapshot plus journal replay. An unfinished last group commit
   * (a crash mid-write) is dropped and reported in `warnings`, as is a store that was not closed cleanly; other
   * damage throws `ERR_STORE_CORRUPTED` naming the file, line and byte offset.
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
    const fault = this.options.faults?.beforeAppend?.();
    if (fault !== undefined) return Promise.reject(writeError(this.options.directory, fault));
    let json: string[];
    try {
      // Encoded now, so a caller that later reuses its record objects cannot change what gets written; checked
      // as recovery will read it, so nothing written can make the store impossible to reopen.
      json = encodeQueueRecords(records);
    } catch (error) {
      return Promise.reject(error);
    }
    if (records.length === 0) return Promise.resolve();
    return this.commit.submit({ records, json }, records.length);
  }

  /**
   * Waits for pending appends, writes a final snapshot (a failure shows in `stats.compactionError`; the journal
   * still holds every record), appends the close record that tells the next `open()` the store was closed
   * cleanly, closes the journal and releases the lock.
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
    if (store === undefined) return;
    // Without it the next open reports an unclean shutdown; the records themselves are all durable already.
    await this.writeLines(store, [CLOSE_RECORD]).catch(() => undefined);
    await store.journal.close();
    await store.lock.release();
  }

  private async recover(): Promise<{ store: OpenStore; recovered: RecoveredQueue }> {
    const { directory } = this.options;
    await makeDirectory(directory).catch((cause: unknown) => {
      throw ioError(`the queue store directory \`${directory}\` to exist or be created`, directory, cause);
    });
    const lock = await acquireStoreLock(directory).catch((cause: unknown) => {
      if (StressError.is(cause)) throw cause;
      const lockPath = join(directory, LOCK_FILE_NAME);
      const path = (cause as NodeJS.ErrnoException).code === 'EISDIR' ? lockPath : directory;
      throw ioError(`to take the lock \`${lockPath}\` of the queue store`, path, cause);
    });
    try {
      const recovered = await recoverStore(directory, this.io, lock.recoveredStale);
      const warnings = lock.recoveredStale
        ? [`Took over a stale lock at ${lock.path}: the process that held it is gone.`, ...recovered.warnings]
        : recovered.warnings;
      const { state, journal, nextLsn, snapshotLsn, records } = recovered;
      state.limitDeadLetters(this.options.keepDeadLetters);
      const olderJournals = [...recovered.olderJournals];
      const store: OpenStore = {
        lock,
        state,
        journal,
        nextLsn,
        snapshotLsn,
        olderJournals,
        sinceSnapshot: records,
        snapshotSize: state.size,
      };
      this.recovered = recovered.recovery;
      return { store, recovered: state.recovered(warnings) };
    } catch (error) {
      await lock.releaseUnused();
      if (StressError.is(error)) throw error;
      const path = (error as NodeJS.ErrnoException).path ?? directory;
      throw ioError(`to read and recover the queue store at \`${directory}\``, path, error);
    }
  }

  private async commitBatch(batch: readonly PendingAppend[]): Promise<ReadonlyArray<Error | undefined>> {
    const store = this.store!;
    const { accepted, outcomes } = admitAppends(batch, (id) => store.state.standingOf(id));
    if (accepted.length === 0) return outcomes;
    try {
      await this.writeLines(
        store,
        accepted.flatMap((pending) => pending.json),
      );
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
    // At least as many records between snapshots as the last snapshot held entries: writing snapshots then costs
    // O(1) per record however deep the queue is (appends at 400k pending about as fast as at 1k pending).
    if (store.sinceSnapshot >= Math.max(this.compactAt, store.snapshotSize)) await this.compact(store);
    return outcomes;
  }

  /** Appends lines as one group commit: consecutive lsns, each line naming the lsn of the commit's last one. */
  private async writeLines(store: OpenStore, json: readonly string[]): Promise<void> {
    const { salt } = store.journal.identity;
    const first = store.nextLsn;
    const end = first + json.length - 1;
    let data = '';
    for (let i = 0; i < json.length; i++) data += encodeJournalLine(salt, first + i, end, json[i]!);
    await store.journal.append(Buffer.from(data));
    store.nextLsn = end + 1;
  }

  private async compact(store: OpenStore): Promise<void> {
    try {
      const { directory, faults } = this.options;
      await compactJournal(directory, store, store.state, this.io, faults?.beforeSnapshot);
      this.compactionError = undefined;
      this.compactionFailures = 0;
      this.compactAt = this.options.compactEvery;
      store.sinceSnapshot = 0;
      store.snapshotSize = store.state.size;
      this.counts.compactions++;
    } catch (error) {
      // Back off: each failure in a row doubles the records until the next try (up to 1024 times compactEvery),
      // so a snapshot that cannot be written does not slow every append down.
      this.compactionFailures++;
      const wait = this.options.compactEvery * 2 ** Math.min(this.compactionFailures, 10);
      this.compactAt = store.sinceSnapshot + wait;
      this.compactionError = compactionError(this.options.directory, error, this.compactionFailures, wait);
      this.warn(this.compactionError.message);
    }
  }

  private warn(message: string): void {
    if (this.warnings.length === 100) this.warnings.shift();
    this.warnings.push(message);
    this.options.onWarning?.(message);
  }
}

function compactionError(directory: string, cause: unknown, failures: number, wait: number): StressError {
  const reason = cause instanceof Error ? cause.message : String(cause);
  const next = Number.isFinite(wait) ? `after ${wait} more records` : 'on close';
  return new StressError(
    'ERR_STORE_COMPACTION',
    `Expected to write the snapshot of the queue store at \`${directory}\`, but it failed (${failures} in a row): ` +
      `${reason}. No record is lost: the journal keeps them all and recovery replays it. The next try comes ` +
      `${next}; until one succeeds, the journal grows and reopening takes longer. Check free disk space and ` +
      'the permissions of the directory.',
    { cause, details: { directory, failures, retryAfterRecords: wait } },
  );
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
