import { invalidOption, isBroadcast, type Message, StressError } from '../protocol/index.ts';
import { deliverToRecipients, type RecipientOutcome } from './deliver-to-recipients.ts';
import { InFlightBatch } from './in-flight-batch.ts';
import {
  type MessageQueueProcessorOptions,
  type ResolvedMessageQueueProcessorOptions,
  resolveMessageQueueProcessorOptions,
} from './message-queue-processor-options.ts';
import type { QueueEntry } from './queue-entry.ts';

/** What a {@link MessageQueueProcessor} did with the entries it took from the queue. */
export interface ProcessCounts {
  /** Entries taken from the queue and handled (the sum of the four counts below). */
  processed: number;
  /** Entries delivered to every recipient and acked. */
  delivered: number;
  /** Entries that failed and were scheduled for another attempt. */
  retried: number;
  /** Entries that failed their last attempt and were dead-lettered. */
  deadLettered: number;
  /** Entries whose ack or fail was refused (lease lost) or not written (store error): their lease returns them. */
  unsettled: number;
}

/** Options of {@link MessageQueueProcessor.run}. */
export interface ProcessorRunOptions {
  /** Stop after taking this many entries from the queue (every one of them is settled before `run` resolves). */
  readonly maxMessages?: number;
  /** Stops the run like {@link MessageQueueProcessor.stop}: in-flight deliveries finish first. */
  readonly signal?: AbortSignal;
}

const newCounts = (): ProcessCounts => ({
  processed: 0,
  delivered: 0,
  retried: 0,
  deadLettered: 0,
  unsettled: 0,
});

/**
 * Takes entries from a {@link MessageQueue}, delivers each through the injected `MessagingCore` (a broadcast
 * to every agent it has not reached yet), and acks or fails it. There is no fallback path: a failed delivery
 * is retried by the queue's backoff and dead-lettered after its last attempt.
 * @example
 * const processor = new MessageQueueProcessor({ queue, messagingCore, clock, agents: ['Agent-1'] });
 * await processor.submit(message);
 * await processor.drain();
 */
export class MessageQueueProcessor {
  /** The validated options. */
  readonly options: ResolvedMessageQueueProcessorOptions;
  /** Batches being delivered, by `run()` or `processBatch()`. */
  readonly #batches = new Set<Promise<void>>();
  #inFlight = 0;
  #run: Promise<ProcessCounts> | undefined;
  #stopRun: AbortController | undefined;
  /** How many times `stop()` was called, so a `drain()` in progress notices it. */
  #stops = 0;
  /** The first unexpected error (a throwing event handler): `run` and `processBatch` reject with it. */
  #failure: { readonly error: unknown } | undefined;

  /** Validates `options` (throws `ERR_INVALID_OPTION`). */
  constructor(options: MessageQueueProcessorOptions) {
    this.options = resolveMessageQueueProcessorOptions(options);
  }

  /** Entries currently being delivered. */
  get inFlight(): number {
    return this.#inFlight;
  }

  /** True while `run()` (or `drain()`'s own run) is active. */
  get isRunning(): boolean {
    return this.#run !== undefined;
  }

  /** Enqueues `message`, which the queue validates (rejects with `ERR_INVALID_MESSAGE`); see `MessageQueue.enqueue`. */
  submit(message: unknown): Promise<QueueEntry> {
    // The queue's own promise, not an async wrapper's: one promise less per message on the hot path.
    try {
      return this.options.queue.enqueue(message as Message);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /** Takes up to `batchSize` available entries, delivers them all at once and settles each. */
  async processBatch(): Promise<ProcessCounts> {
    const counts = newCounts();
    await this.#processBatch(this.options.queue.dequeue(this.options.batchSize), counts);
    this.#throwFailure();
    return counts;
  }

  /**
   * Processes until `maxMessages` entries were taken, the signal aborts, `stop()` is called or the queue
   * closes. An empty queue is waited on, not a reason to end. Before resolving, every entry taken is settled.
   */
  run(options: ProcessorRunOptions = {}): Promise<ProcessCounts> {
    const { maxMessages = Number.POSITIVE_INFINITY, signal } = options;
    if (
      maxMessages !== Number.POSITIVE_INFINITY &&
      !(Number.isSafeInteger(maxMessages) && maxMessages >= 1)
    ) {
      return Promise.reject(invalidOption('maxMessages', 'an integer >= 1', maxMessages));
    }
    if (this.#run !== undefined) {
      return Promise.reject(
        new StressError(
          'ERR_INVALID_OPTION',
          'Expected one `run()` at a time, got a second call while the first is active. Await it or call `stop()`.',
        ),
      );
    }
    const stop = new AbortController();
    const onAbort = (): void => stop.abort();
    if (signal?.aborted) stop.abort();
    signal?.addEventListener('abort', onAbort, { once: true });
    this.#stopRun = stop;
    const run = this.#loop(maxMessages, stop.signal).finally(() => {
      signal?.removeEventListener('abort', onAbort);
      if (this.#run === run) {
        this.#run = undefined;
        this.#stopRun = undefined;
      }
    });
    this.#run = run;
    return run;
  }

  /** Stops gracefully: takes nothing more, lets in-flight deliveries finish and settles their entries. */
  async stop(): Promise<void> {
    this.#stops++;
    this.#stopRun?.abort();
    await Promise.allSettled([this.#run, ...this.#batches]);
  }

  /**
   * Resolves when the queue is idle, processing in the meantime (with its own run while no other is
   * active); resolves early if `stop()` is called, and rejects if the queue closes first.
   */
  async drain(): Promise<void> {
    const stops = this.#stops;
    const idle = this.options.queue.whenIdle();
    let isIdle = false;
    void idle.then(
      () => {
        isIdle = true;
      },
      () => undefined,
    );
    while (!isIdle && this.#stops === stops) {
      const own = this.#run === undefined ? new AbortController() : undefined;
      const active = own === undefined ? this.#run! : this.run({ signal: own.signal });
      try {
        await Promise.race([idle, active]);
      } finally {
        if (own !== undefined) {
          own.abort();
          await active;
        }
      }
    }
  }

  async #loop(maxMessages: number, stop: AbortSignal): Promise<ProcessCounts> {
    const { queue, batchSize, concurrency } = this.options;
    const counts = newCounts();
    const active = new Set<Promise<void>>();
    let taken = 0;
    while (!stop.aborted && taken < maxMessages && queue.isOpen) {
      if (active.size >= concurrency) {
        await Promise.race(active);
        continue;
      }
      const entries = queue.dequeue(Math.min(batchSize, maxMessages - taken));
      if (entries.length === 0) {
        await queue.waitForWork(stop);
        continue;
      }
      taken += entries.length;
      // `then`, not `finally` (two promises fewer per batch); a batch never rejects.
      const batch: Promise<void> = this.#processBatch(entries, counts).then(() => {
        active.delete(batch);
      });
      active.add(batch);
    }
    await Promise.all(active);
    this.#throwFailure();
    return counts;
  }

  #processBatch(entries: readonly QueueEntry[], counts: ProcessCounts): Promise<void> {
    if (entries.length === 0) return Promise.resolve();
    const batch = new InFlightBatch(this.options.queue, this.options.clock, entries);
    this.#inFlight += entries.length;
    // One `then` per entry and no closure of our own (no `finally`, no `Promise.all`): the hot path of every
    // message. `#processEntry` counts delivery and store failures itself; anything else it throws is kept as the
    // processor's failure, which `run` and `processBatch` reject with.
    for (let i = 0; i < entries.length; i++) {
      this.#processEntry(entries[i]!, counts).then(
        () => this.#settled(batch, i),
        (error: unknown) => {
          this.#failure ??= { error };
          this.#settled(batch, i);
        },
      );
    }
    this.#batches.add(batch.done);
    return batch.done;
  }

  #settled(batch: InFlightBatch, index: number): void {
    this.#inFlight--;
    if (batch.settle(index)) this.#batches.delete(batch.done);
  }

  async #processEntry(entry: QueueEntry, counts: ProcessCounts): Promise<void> {
    const { queue, messagingCore, clock, deliveryTimeoutMs, events } = this.options;
    const { message, entryId } = entry;
    const outcomes = await deliverToRecipients({
      core: messagingCore,
      clock,
      message,
      recipients: this.#recipientsOf(entry),
      attempt: entry.attempts + 1,
      timeoutMs: deliveryTimeoutMs,
    });
    const failed = outcomes.filter((outcome) => outcome.error !== undefined);
    counts.processed++;
    try {
      if (failed.length === 0) {
        if (await queue.ack(entryId)) counts.delivered++;
        else counts.unsettled++;
        return;
      }
      const error = describeFailures(failed, isBroadcast(message));
      const delivered = outcomes.filter((outcome) => outcome.error === undefined).map((o) => o.recipient);
      const after = await queue.fail(entryId, error, { delivered });
      if (after === undefined) {
        counts.unsettled++;
      } else if (after.status === 'dead_lettered') {
        counts.deadLettered++;
        const recipients = failed.map((outcome) => outcome.recipient);
        this.#emit(() => events?.deadLettered(message, recipients, error));
      } else {
        counts.retried++;
        this.#emit(() => events?.retried(message, after.attempts + 1));
      }
    } catch {
      // The ack or fail could not be journaled (or the queue closed): the entry stays processing in the
      // queue and its lease returns it, so it is delivered again rather than lost.
      counts.unsettled++;
    }
  }

  #recipientsOf(entry: QueueEntry): readonly string[] {
    const { message, deliveredTo } = entry;
    if (!isBroadcast(message)) return deliveredTo.includes(message.recipient) ? [] : [message.recipient];
    if (deliveredTo.length === 0) return this.options.agents;
    const reached = new Set(deliveredTo);
    return this.options.agents.filter((agent) => !reached.has(agent));
  }

  #emit(call: () => void): void {
    try {
      call();
    } catch (error) {
      this.#failure ??= { error };
    }
  }

  #throwFailure(): void {
    const failure = this.#failure;
    if (failure === undefined) return;
    this.#failure = undefined;
    throw failure.error;
  }
}

/** The `lastError` of an attempt: the error itself for one recipient, `recipient: error` pairs for a broadcast. */
function describeFailures(failed: readonly RecipientOutcome[], broadcast: boolean): string {
  if (!broadcast) return failed[0]?.error ?? 'delivery_failed';
  const shown = failed.slice(0, 3).map((outcome) => `${outcome.recipient}: ${outcome.error}`);
  const more = failed.length > 3 ? `; and ${failed.length - 3} more` : '';
  return `${shown.join('; ')}${more}`;
}
