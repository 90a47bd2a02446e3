import { StressError } from '../protocol/index.ts';
import { QueueJournal } from './queue-journal.ts';
import type { QueueRecord } from './queue-record.ts';
import { DURABLE_ON_RETURN, type QueueStore, type RecoveredQueue } from './queue-store.ts';

/** Faults a {@link MemoryQueueStore} can be made to suffer, for chaos tests. */
export interface MemoryQueueStoreFaults {
  /** Called before each append; a returned error makes that append fail without writing anything. */
  beforeAppend(): Error | undefined;
}

/** Options of {@link MemoryQueueStore}. */
export interface MemoryQueueStoreOptions {
  /** Injected write failures. */
  readonly faults?: MemoryQueueStoreFaults;
  /** Dead letters the store keeps (the newest). @default 1000 */
  readonly keepDeadLetters?: number;
}

/**
 * A {@link QueueStore} in memory: it applies every appended record, so a new `MessageQueue` opened on the
 * same store object after a simulated crash (`queue.abandon()`) recovers the live entries (those that were
 * processing come back pending, attempts kept) and the dead letters. An append is all-or-nothing.
 */
export class MemoryQueueStore implements QueueStore {
  readonly #journal: QueueJournal;
  readonly #faults: MemoryQueueStoreFaults | undefined;
  #closed = false;
  #appends = 0;
  #records = 0;

  /** Creates an empty store. */
  constructor(options: MemoryQueueStoreOptions = {}) {
    this.#journal = new QueueJournal(options.keepDeadLetters ?? 1000);
    this.#faults = options.faults;
  }

  /** Number of successful `append` calls, to observe batching. */
  get appendCount(): number {
    return this.#appends;
  }

  /** Number of records made durable. */
  get recordCount(): number {
    return this.#records;
  }

  /** Number of live entries held. */
  get size(): number {
    return this.#journal.size;
  }

  /** Returns the durable state; may be called again after a simulated crash, and reopens a closed store. */
  async open(): Promise<RecoveredQueue> {
    this.#closed = false;
    return this.#journal.recover();
  }

  /**
   * Applies `records` in order, unless the store is closed or an injected fault fails the append. Settled at
   * once: a successful append returns {@link DURABLE_ON_RETURN} (no promise made, and none waited for, per append).
   */
  append(records: readonly QueueRecord[]): Promise<void> {
    if (this.#closed) {
      return Promise.reject(
        new StressError(
          'ERR_STORE_CLOSED',
          'Expected the store to be open for `append`, got a closed store. Call `open()` again first.',
        ),
      );
    }
    try {
      const fault = this.#faults?.beforeAppend();
      if (fault !== undefined) {
        throw StressError.is(fault, 'ERR_STORE_WRITE')
          ? fault
          : new StressError('ERR_STORE_WRITE', `Expected the append to succeed, got: ${fault.message}`, {
              cause: fault,
            });
      }
      for (const record of records) this.#journal.apply(record);
    } catch (error) {
      return Promise.reject(error);
    }
    this.#appends++;
    this.#records += records.length;
    return DURABLE_ON_RETURN;
  }

  /** Refuses further appends until the next `open()`. */
  async close(): Promise<void> {
    this.#closed = true;
  }
}
