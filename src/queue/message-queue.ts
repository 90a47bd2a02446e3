import { invalidOption, type Message, StressError, validateMessage } from '../protocol/index.ts';
import { DeadLetterList } from './dead-letter-list.ts';
import { DeadlineTimer } from './deadline-timer.ts';
import { EntrySchedule } from './entry-schedule.ts';
import { JournalWriter } from './journal-writer.ts';
import { LiveEntry } from './live-entry.ts';
import {
  type MessageQueueOptions,
  type ResolvedMessageQueueOptions,
  resolveMessageQueueOptions,
} from './message-queue-options.ts';
import { queueClosedError } from './queue-closed-error.ts';
import type { QueueEntry } from './queue-entry.ts';
import type { QueueRecord } from './queue-record.ts';
import type { RecoveredQueue } from './queue-store.ts';
import { QueueWaiters } from './queue-waiters.ts';
import { retryDelayMs } from './retry-policy.ts';

/** What {@link MessageQueue.stats} reports. */
export interface QueueStats {
  /** Entries waiting to be handed out, those waiting out a retry backoff included. */
  readonly pending: number;
  /** Entries handed out by `dequeue` and not yet acked, failed or returned by an expired lease. */
  readonly processing: number;
  /** The part of `pending` waiting out a retry backoff. */
  readonly delayed: number;
  /** Entries dead-lettered since the queue opened, plus the dead letters it recovered from the store. */
  readonly deadLettered: number;
  readonly capacity: number;
}

/** Options of {@link MessageQueue.fail}. */
export interface FailOptions {
  /** Recipients this attempt did reach: journaled as `progress` so a retry skips them. */
  readonly delivered?: readonly string[];
}

const NOBODY: readonly string[] = Object.freeze([]);
const NOT_DONE = Promise.resolve(false);

/**
 * A durable, leased, prioritised message queue over a {@link QueueStore}. Urgent entries go before regular
 * ones, FIFO by `sequence` within a priority. Every state change is journaled before it takes effect in
 * memory, so memory never runs ahead of the store: when an ack or fail cannot be written it rejects with the
 * store's error and the entry stays processing until its lease returns it (at-least-once). Every operation
 * is O(1) or O(log n); delivered entries leave memory at once.
 * @example
 * const queue = await MessageQueue.open({ store: new MemoryQueueStore(), clock });
 * await queue.enqueue(message);
 * for (const entry of queue.dequeue(10)) await queue.ack(entry.entryId);
 */
export class MessageQueue {
  /** The validated options the queue was opened with. */
  readonly options: ResolvedMessageQueueOptions;
  /** What the store reported working around while recovering (for example a torn last record). */
  readonly recoveryWarnings: readonly string[];
  readonly #live = new Map<string, LiveEntry>();
  readonly #schedule = new EntrySchedule();
  readonly #deadLetters: DeadLetterList;
  readonly #waiters = new QueueWaiters();
  readonly #writer: JournalWriter<LiveEntry>;
  /** Enqueues being journaled: they hold capacity and keep the queue from being idle. */
  #accepting = 0;
  #lastSequence: number;
  readonly #timer: DeadlineTimer;
  #open = true;

  private constructor(options: ResolvedMessageQueueOptions, recovered: RecoveredQueue) {
    this.options = options;
    this.recoveryWarnings = recovered.warnings;
    this.#writer = new JournalWriter<LiveEntry>(options.store, (records, subjects, error) =>
      this.#commit(records, subjects, error),
    );
    this.#lastSequence = recovered.lastSequence;
    const now = options.clock.now();
    for (const entry of recovered.entries) {
      const live = new LiveEntry(entry);
      this.#live.set(live.entryId, live);
      this.#lastSequence = Math.max(this.#lastSequence, live.sequence);
      this.#schedule.add(live, now);
    }
    this.#deadLetters = new DeadLetterList(options.keepDeadLetters);
    for (const entry of recovered.deadLetters) this.#deadLetters.add(entry);
    // One timer for every backoff and lease: when it fires, ready what is due and aim at the next deadline.
    this.#timer = new DeadlineTimer(options.clock, () => {
      this.#refresh();
      this.#timer.armBy(this.#schedule.nextDeadline());
    });
    this.#timer.armBy(this.#schedule.nextDeadline());
  }

  /** Validates `options`, opens the store and recovers its live entries (all pending) and dead letters. */
  static async open(options: MessageQueueOptions): Promise<MessageQueue> {
    const resolved = resolveMessageQueueOptions(options);
    return new MessageQueue(resolved, await resolved.store.open());
  }

  /** False after {@link MessageQueue.close} or {@link MessageQueue.abandon}. */
  get isOpen(): boolean {
    return this.#open;
  }

  /**
   * Validates `message` and resolves with its entry once the `enqueue` record is durable. Rejects with
   * `ERR_INVALID_MESSAGE` naming the field (nothing is journaled), `ERR_QUEUE_FULL` at capacity, or with the
   * store's error; in every case the message is not in the queue.
   */
  enqueue(message: Message): Promise<QueueEntry> {
    if (!this.#open) return Promise.reject(queueClosedError('enqueue'));
    const { capacity, maxContentLength } = this.options;
    try {
      validateMessage(message, { maxContentLength });
    } catch (error) {
      return Promise.reject(error);
    }
    if (this.#live.size + this.#accepting >= capacity)
      return Promise.reject(queueFullError(message, capacity));
    const sequence = ++this.#lastSequence;
    const now = this.options.clock.now();
    const entry: QueueEntry = {
      entryId: `e${sequence}`,
      sequence,
      message,
      status: 'pending',
      attempts: 0,
      deliveredTo: NOBODY,
      enqueuedAt: now,
      availableAt: now,
    };
    this.#accepting++;
    return this.#writer.write({ op: 'enqueue', entry }, new LiveEntry(entry)).done.then(() => entry);
  }

  /**
   * Leases up to `max` available entries, urgent first then by sequence, marking them processing until
   * `now + leaseMs`. Entries waiting out a backoff are not handed out.
   */
  dequeue(max: number): QueueEntry[] {
    if (!Number.isSafeInteger(max) || max < 1) throw invalidOption('max', 'an integer >= 1', max);
    this.#assertOpen('dequeue');
    const leaseUntil = this.#refresh() + this.options.leaseMs;
    const out: QueueEntry[] = [];
    for (let entry = this.#schedule.take(leaseUntil); entry !== undefined; ) {
      out.push(entry.snapshot());
      entry = out.length < max ? this.#schedule.take(leaseUntil) : undefined;
    }
    if (out.length > 0) this.#timer.armBy(leaseUntil);
    return out;
  }

  /**
   * Marks a processing entry delivered once the `ack` record is durable, and forgets it. Resolves `false`
   * (harmlessly) for an unknown, finished, not-processing or already-settling entry.
   */
  ack(entryId: string): Promise<boolean> {
    if (!this.#open) return Promise.reject(queueClosedError('ack'));
    const now = this.options.clock.now();
    const entry = this.#leased(entryId, now);
    if (entry === undefined) return NOT_DONE;
    entry.settling = true;
    return this.#writer.write({ op: 'ack', entryId, at: now }, entry).done;
  }

  /**
   * Records a failed attempt of a processing entry: back to pending after its backoff, or dead-lettered
   * after `retry.maxAttempts` attempts. Resolves with the entry's new state, or `undefined` (harmlessly)
   * for an unknown, finished, not-processing or already-settling entry.
   */
  async fail(entryId: string, error: string, options: FailOptions = {}): Promise<QueueEntry | undefined> {
    this.#assertOpen('fail');
    // Both end up in the journal: checked here so a bad call fails alone instead of failing its whole batch.
    if (typeof error !== 'string')
      throw invalidOption('error', 'a string (the reason of the failure)', error);
    const given = options.delivered;
    if (given !== undefined && (!Array.isArray(given) || !given.every((r) => typeof r === 'string'))) {
      throw invalidOption('delivered', 'an array of recipient strings', given);
    }
    const now = this.options.clock.now();
    const entry = this.#leased(entryId, now);
    if (entry === undefined) return undefined;
    const delivered = newRecipients(entry.deliveredTo, options.delivered ?? NOBODY);
    const records: QueueRecord[] = delivered.map((recipient) => ({ op: 'progress', entryId, recipient }));
    const attempts = entry.attempts + 1;
    const dead = attempts >= this.options.retry.maxAttempts;
    const availableAt = dead ? entry.availableAt : now + retryDelayMs(this.options.retry, attempts);
    records.push(
      dead
        ? { op: 'dead', entryId, attempts, lastError: error, at: now }
        : { op: 'retry', entryId, attempts, availableAt, lastError: error },
    );
    const deliveredTo = delivered.length > 0 ? [...entry.deliveredTo, ...delivered] : entry.deliveredTo;
    entry.settling = true;
    await this.#writer.writeAll(records, entry).done;
    return {
      entryId,
      sequence: entry.sequence,
      message: entry.message,
      status: dead ? 'dead_lettered' : 'pending',
      attempts,
      deliveredTo,
      enqueuedAt: entry.enqueuedAt,
      availableAt,
      lastError: error,
    };
  }

  /** Extends a processing entry's lease to `now + leaseMs`, for a slow delivery; false if it is not leased. */
  renewLease(entryId: string): boolean {
    this.#assertOpen('renewLease');
    const now = this.options.clock.now();
    const entry = this.#leased(entryId, now);
    if (entry === undefined) return false;
    this.#schedule.renew(entry, now + this.options.leaseMs);
    return true;
  }

  /** The current state of a live entry, or `undefined` when it is unknown or finished. */
  get(entryId: string): QueueEntry | undefined {
    this.#refresh();
    return this.#live.get(entryId)?.snapshot();
  }

  /** Counts of live and dead-lettered entries, after readying due backoffs and expiring due leases. */
  stats(): QueueStats {
    this.#refresh();
    const { processing, delayed } = this.#schedule;
    const { capacity } = this.options;
    return {
      pending: this.#live.size - processing,
      processing,
      delayed,
      deadLettered: this.#deadLetters.count,
      capacity,
    };
  }

  /** The kept dead-lettered entries (at most `keepDeadLetters`, the newest), oldest first. */
  deadLetters(): QueueEntry[] {
    return this.#deadLetters.toArray();
  }

  /**
   * Resolves `true` as soon as an entry is available to `dequeue`, now or later (an enqueue, a backoff that
   * elapses, a lease that expires); resolves `false` when `signal` aborts or the queue closes.
   */
  waitForWork(signal?: AbortSignal): Promise<boolean> {
    if (!this.#open || signal?.aborted) return Promise.resolve(false);
    this.#refresh();
    if (this.#schedule.ready > 0) return Promise.resolve(true);
    return this.#waiters.waitForWork(signal);
  }

  /**
   * Resolves when nothing is pending (backoffs included), processing or being accepted. Rejects with
   * `ERR_QUEUE_CLOSED` if the queue closes first.
   */
  whenIdle(): Promise<void> {
    if (!this.#open) return Promise.reject(queueClosedError('whenIdle'));
    if (this.#live.size + this.#accepting === 0) return Promise.resolve();
    return this.#waiters.waitForIdle();
  }

  /**
   * Closes gracefully: refuses new calls, lets journal writes already made finish, ends every wait and
   * closes the store. Entries still live stay in the store and come back pending on the next open.
   */
  async close(): Promise<void> {
    if (!this.#open) return;
    this.#shutDown();
    await this.#writer.settled();
    this.#writer.close();
    await this.options.store.close();
  }

  /**
   * Stops as a killed process would, for crash tests: refuses new calls and further journal writes, ends
   * every wait, and neither flushes nor closes the store. Open a new queue on the same store to recover.
   */
  abandon(): void {
    if (!this.#open) return;
    this.#shutDown();
    this.#writer.close();
  }

  /** The entry if it is leased and not settling; expires it instead if its lease ran out. */
  #leased(entryId: string, now: number): LiveEntry | undefined {
    const entry = this.#live.get(entryId);
    if (entry === undefined || entry.status !== 'processing' || entry.settling) return undefined;
    if (entry.leaseUntil > now) return entry;
    this.#refresh();
    return undefined;
  }

  /**
   * Applies a settled journal batch to memory, exactly as the store applied it, before any caller resumes;
   * on a failed batch rolls back instead: enqueues are dropped, settling entries stay processing.
   */
  #commit(records: readonly QueueRecord[], subjects: readonly LiveEntry[], error: unknown): void {
    let readied = false;
    // A fail's progress records precede its retry or dead record in the same batch: gather them, then copy
    // `deliveredTo` once (snapshots share the array, so it is never mutated in place).
    let reached: string[] = [];
    for (let i = 0; i < records.length; i++) {
      const record = records[i]!;
      const entry = subjects[i]!;
      if (record.op === 'enqueue') {
        this.#accepting--;
        if (error !== undefined) continue;
        this.#live.set(entry.entryId, entry);
        // A new entry is available from its enqueue time, which has passed: no need to read the clock.
        readied = this.#schedule.add(entry, Number.POSITIVE_INFINITY) || readied;
        continue;
      }
      if (error !== undefined) {
        if (entry.settling) readied = this.#settleFailed(entry) || readied;
        continue;
      }
      switch (record.op) {
        case 'ack':
          entry.settling = false;
          this.#live.delete(entry.entryId);
          this.#schedule.release(entry, 'delivered');
          break;
        case 'progress':
          reached.push(record.recipient);
          break;
        case 'retry':
          entry.settling = false;
          reached = addReached(entry, reached);
          entry.attempts = record.attempts;
          entry.lastError = record.lastError;
          entry.availableAt = record.availableAt;
          this.#schedule.release(entry, 'pending');
          if (this.#schedule.add(entry, this.options.clock.now())) readied = true;
          else this.#timer.armBy(record.availableAt);
          break;
        case 'dead':
          entry.settling = false;
          reached = addReached(entry, reached);
          entry.attempts = record.attempts;
          entry.lastError = record.lastError;
          this.#live.delete(entry.entryId);
          this.#schedule.release(entry, 'dead_lettered');
          this.#deadLetters.add(entry.snapshot());
          break;
      }
    }
    if (readied) this.#wakeWork();
    this.#checkIdle();
  }

  /** After a failed ack or fail write: the entry stays processing, unless its lease ran out meanwhile. */
  #settleFailed(entry: LiveEntry): boolean {
    entry.settling = false;
    // The lease scan skips settling entries, so a lease that ran out during the write is expired here.
    const now = this.options.clock.now();
    if (entry.leaseUntil > now) return false;
    this.#schedule.expire(entry, now);
    return true;
  }

  #refresh(): number {
    const now = this.options.clock.now();
    if (this.#schedule.refresh(now)) this.#wakeWork();
    return now;
  }

  #wakeWork(): void {
    if (this.#waiters.wantsWork) this.#waiters.wakeWork();
  }

  #checkIdle(): void {
    if (this.#waiters.wantsIdle && this.#live.size + this.#accepting === 0) this.#waiters.wakeIdle();
  }

  #shutDown(): void {
    this.#open = false;
    this.#timer.stop();
    this.#waiters.close();
  }

  #assertOpen(call: string): void {
    if (!this.#open) throw queueClosedError(call);
  }
}

/** Appends gathered progress to `entry.deliveredTo` (as a new array) and returns an empty gathering. */
function addReached(entry: LiveEntry, reached: string[]): string[] {
  if (reached.length === 0) return reached;
  entry.deliveredTo = [...entry.deliveredTo, ...reached];
  return [];
}

/** The recipients of `delivered` not already in `reached`, each once. */
function newRecipients(reached: readonly string[], delivered: readonly string[]): string[] {
  const seen = new Set(reached);
  const out: string[] = [];
  for (const recipient of delivered) {
    if (seen.has(recipient)) continue;
    seen.add(recipient);
    out.push(recipient);
  }
  return out;
}

function queueFullError(message: Message, capacity: number): StressError {
  return new StressError(
    'ERR_QUEUE_FULL',
    `Expected the queue to have room for message "${message.id}", but it holds ${capacity} live entries ` +
      `(capacity ${capacity}). Wait for the processor to catch up and retry (backpressure), or raise ` +
      '`capacity` in MessageQueue.open().',
    { details: { capacity } },
  );
}
