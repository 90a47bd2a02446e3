import { invalidOption } from '../../protocol/index.ts';

/** Test hooks that make a {@link FileQueueStore} fail on purpose. */
export interface StoreFaults {
  /** Called at the start of every append; returning an error fails that append before any of it is written. */
  beforeAppend?(): Error | undefined;
  /** Called before every snapshot write; returning an error fails that compaction. */
  beforeSnapshot?(): Error | undefined;
}

/** Options of `new FileQueueStore(options)`. */
export interface FileQueueStoreOptions {
  /** Directory holding the journal, the snapshot and the `LOCK` file; created when missing. */
  readonly directory: string;
  /**
   * Milliseconds a batch waits for more appends before it is written; 0 writes on the next event-loop turn,
   * and appends made while a write is in progress still share the next write and fsync.
   * @default 0
   */
  readonly groupCommitMs?: number;
  /**
   * Most records written (and fsynced) together in one group commit; an append with more goes alone.
   * @default 4096
   */
  readonly maxBatch?: number;
  /**
   * Records after which the live state is written to a snapshot and a new journal started (also on close), or
   * as many records as the last snapshot held entries when that is more, so snapshots of a deep queue cost O(1)
   * per record; `Infinity` compacts on close only.
   * @default 10000
   */
  readonly compactEvery?: number;
  /**
   * Dead letters the store keeps (the newest), in memory and in snapshots; `Infinity` keeps them all. Match the
   * queue's own `keepDeadLetters`.
   * @default 1000
   */
  readonly keepDeadLetters?: number;
  /** Fault injection for tests. @default undefined */
  readonly faults?: StoreFaults;
  /**
   * Called with a warning when a compaction fails (the store keeps working from its journal and retries later,
   * backing off); the same warnings are kept in `stats.warnings`.
   * @default undefined
   */
  readonly onWarning?: (message: string) => void;
}

/** {@link FileQueueStoreOptions} with defaults applied and every value checked. */
export interface ResolvedFileQueueStoreOptions {
  readonly directory: string;
  readonly groupCommitMs: number;
  readonly maxBatch: number;
  readonly compactEvery: number;
  readonly keepDeadLetters: number;
  readonly faults: StoreFaults | undefined;
  readonly onWarning: ((message: string) => void) | undefined;
}

const isPositiveInteger = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 1;

/** Applies the defaults of {@link FileQueueStoreOptions} and validates it once; throws `ERR_INVALID_OPTION`. */
export function resolveFileQueueStoreOptions(options: FileQueueStoreOptions): ResolvedFileQueueStoreOptions {
  if (typeof options !== 'object' || options === null) throw invalidOption('options', 'an object', options);
  const {
    directory,
    groupCommitMs = 0,
    maxBatch = 4096,
    compactEvery = 10_000,
    keepDeadLetters = 1000,
    faults,
    onWarning,
  } = options;
  if (typeof directory !== 'string' || directory.length === 0) {
    throw invalidOption('directory', 'a non-empty path string', directory);
  }
  if (typeof groupCommitMs !== 'number' || !(groupCommitMs >= 0 && groupCommitMs <= 60_000)) {
    throw invalidOption('groupCommitMs', 'a number of milliseconds from 0 to 60000', groupCommitMs);
  }
  if (!isPositiveInteger(maxBatch)) throw invalidOption('maxBatch', 'an integer of at least 1', maxBatch);
  if (!isPositiveInteger(compactEvery) && compactEvery !== Number.POSITIVE_INFINITY) {
    throw invalidOption('compactEvery', 'an integer of at least 1, or Infinity', compactEvery);
  }
  if (
    !(Number.isSafeInteger(keepDeadLetters) && keepDeadLetters >= 0) &&
    keepDeadLetters !== Number.POSITIVE_INFINITY
  ) {
    throw invalidOption('keepDeadLetters', 'an integer >= 0 or Infinity', keepDeadLetters);
  }
  for (const hook of ['beforeAppend', 'beforeSnapshot'] as const) {
    const value: unknown = faults?.[hook];
    if (value !== undefined && typeof value !== 'function')
      throw invalidOption(`faults.${hook}`, 'a function', value);
  }
  if (onWarning !== undefined && typeof onWarning !== 'function') {
    throw invalidOption('onWarning', 'a function', onWarning);
  }
  return { directory, groupCommitMs, maxBatch, compactEvery, keepDeadLetters, faults, onWarning };
}
