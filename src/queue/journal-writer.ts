import { queueClosedError } from './queue-closed-error.ts';
import type { QueueRecord } from './queue-record.ts';
import { DURABLE_ON_RETURN, type QueueStore } from './queue-store.ts';

// A flush is queued as a promise reaction: Node's `queueMicrotask` builds an AsyncResource per call.
const RESOLVED = Promise.resolve();

/** Called once per batch, before its promise settles: `error` is undefined when the records are durable. */
export type JournalCommit<S> = (
  records: readonly QueueRecord[],
  subjects: readonly S[],
  error: unknown,
) => void;

/** A group of records appended together; every record of it shares its fate. */
export class JournalBatch<S> {
  readonly records: QueueRecord[] = [];
  /** One subject per record: what the writer's owner applies the record to once it is durable. */
  readonly subjects: S[] = [];
  /** Resolves `true` once the batch is durable (one promise shared by every caller of the batch). */
  readonly done: Promise<true>;
  resolve!: (value: true) => void;
  reject!: (error: unknown) => void;

  constructor() {
    this.done = new Promise<true>((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
    });
  }
}

/**
 * Group commit in front of a {@link QueueStore}: records written in the same synchronous burst, or while the
 * previous append is still in flight, go to the store in one `append`. Appends never overlap, so records
 * reach the store in the order they were written. When an append settles, `commit` sees the batch first, so
 * its owner can apply durable records to memory (or roll back on failure) before any caller resumes.
 */
export class JournalWriter<S> {
  readonly #store: QueueStore;
  readonly #commit: JournalCommit<S>;
  #pending: JournalBatch<S> | undefined;
  #writing: Promise<void> | undefined;
  #closed = false;

  /** Creates a writer appending to `store` and reporting every settled batch to `commit`. */
  constructor(store: QueueStore, commit: JournalCommit<S>) {
    this.#store = store;
    this.#commit = commit;
  }

  /** Adds `record` about `subject` to the current batch. Throws `ERR_QUEUE_CLOSED` once closed. */
  write(record: QueueRecord, subject: S): JournalBatch<S> {
    const batch = this.#batch();
    batch.records.push(record);
    batch.subjects.push(subject);
    return batch;
  }

  /** Adds `records`, all about `subject`, to the current batch. Throws `ERR_QUEUE_CLOSED` once closed. */
  writeAll(records: readonly QueueRecord[], subject: S): JournalBatch<S> {
    const batch = this.#batch();
    for (const record of records) {
      batch.records.push(record);
      batch.subjects.push(subject);
    }
    return batch;
  }

  /** Resolves once every record written so far has been appended or has failed. */
  async settled(): Promise<void> {
    while (this.#writing !== undefined || this.#pending !== undefined) {
      await (this.#writing ?? this.#pending?.done.catch(() => undefined));
    }
  }

  /** Refuses further writes; a batch not yet handed to the store fails with `ERR_QUEUE_CLOSED`. */
  close(): void {
    this.#closed = true;
    if (this.#writing === undefined) this.#flush();
  }

  #batch(): JournalBatch<S> {
    if (this.#closed) throw queueClosedError('store append');
    let batch = this.#pending;
    if (batch === undefined) {
      batch = new JournalBatch<S>();
      this.#pending = batch;
      // Wait for the rest of this synchronous burst before appending, unless an append is in flight:
      // its completion flushes this batch.
      if (this.#writing === undefined) void RESOLVED.then(this.#flushNow);
    }
    return batch;
  }

  readonly #flushNow = (): void => this.#flush();

  #flush(): void {
    const batch = this.#pending;
    if (batch === undefined) return;
    this.#pending = undefined;
    if (this.#closed) {
      this.#finish(batch, queueClosedError('store append'));
      return;
    }
    let appended: Promise<void>;
    try {
      appended = this.#store.append(batch.records);
    } catch (error) {
      appended = Promise.reject(error);
    }
    // Durable already: settle now (its owner applies it, its callers resume) rather than a reaction later.
    if (appended === DURABLE_ON_RETURN) {
      this.#finish(batch, undefined);
      return;
    }
    this.#writing = appended.then(
      () => this.#finish(batch, undefined),
      (error: unknown) =>
        this.#finish(batch, error ?? new Error('The store append failed without an error.')),
    );
  }

  #finish(batch: JournalBatch<S>, error: unknown): void {
    this.#writing = undefined;
    try {
      this.#commit(batch.records, batch.subjects, error);
    } finally {
      if (error === undefined) batch.resolve(true);
      else batch.reject(error);
      this.#flush();
    }
  }
}
