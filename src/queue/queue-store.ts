import type { QueueEntry } from './queue-entry.ts';
import type { QueueRecord } from './queue-record.ts';

/** What a store gives back when a queue opens on it. */
export interface RecoveredQueue {
  /** Live entries (pending, or processing at the time of a crash, returned as pending), in sequence order. */
  readonly entries: readonly QueueEntry[];
  /** Dead-lettered entries kept by the store, oldest first. */
  readonly deadLetters: readonly QueueEntry[];
  /** The highest sequence number ever handed out, so new entries continue after it. */
  readonly lastSequence: number;
  /** Problems recovery worked around, such as a torn last record after a crash (dropped and reported here). */
  readonly warnings: readonly string[];
}

/**
 * What a store's `append` may return when the records were durable before it returned (a store in memory): one
 * shared resolved promise, by identity. The queue's journal then settles the batch at once instead of waiting a
 * promise reaction for it; any other promise is waited for as usual.
 */
export const DURABLE_ON_RETURN: Promise<void> = Promise.resolve();

/**
 * The persistence port of {@link MessageQueue}. A store applies journaled {@link QueueRecord}s; `append`
 * resolves only once the records are durable (for a file store: written and fsynced, possibly in a group
 * commit with other appends). `MemoryQueueStore` in `src/queue/` and `FileQueueStore` in `src/queue/file-store/` implement it.
 */
export interface QueueStore {
  /** Reads the durable state. Called once, before any append. */
  open(): Promise<RecoveredQueue>;
  /**
   * Makes the records durable, in order. Rejects with `ERR_STORE_WRITE` if they could not be written. A store
   * whose records are durable when it returns may return {@link DURABLE_ON_RETURN}.
   */
  append(records: readonly QueueRecord[]): Promise<void>;
  /** Flushes and releases the store (file handles, locks). Appending after close rejects with `ERR_STORE_CLOSED`. */
  close(): Promise<void>;
}
