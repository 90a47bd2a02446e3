import type { Clock, TimerHandle } from '../protocol/index.ts';
import type { MessageQueue } from './message-queue.ts';
import type { QueueEntry } from './queue-entry.ts';

/**
 * A batch of entries being delivered: renews the leases of those not settled yet at half the lease length (so a
 * slow delivery is never handed out a second time), and resolves `done` once every entry has settled. One
 * object per batch and no closure per entry: the hot path of every message.
 */
export class InFlightBatch {
  readonly done: Promise<void>;
  #resolve!: () => void;
  readonly #entries: readonly QueueEntry[];
  readonly #settled: Uint8Array;
  #left: number;
  readonly #queue: MessageQueue;
  readonly #clock: Clock;
  #timer: TimerHandle;

  constructor(queue: MessageQueue, clock: Clock, entries: readonly QueueEntry[]) {
    this.done = new Promise<void>((resolve) => {
      this.#resolve = resolve;
    });
    this.#entries = entries;
    this.#settled = new Uint8Array(entries.length);
    this.#left = entries.length;
    this.#queue = queue;
    this.#clock = clock;
    this.#timer = clock.setTimer(queue.options.leaseMs / 2, () => this.#renew());
  }

  /** Marks entry `index` settled; returns true when it was the last one (`done` then resolves). */
  settle(index: number): boolean {
    this.#settled[index] = 1;
    if (--this.#left > 0) return false;
    this.#clock.clearTimer(this.#timer);
    this.#resolve();
    return true;
  }

  #renew(): void {
    if (!this.#queue.isOpen) return;
    this.#entries.forEach((entry, i) => {
      if (this.#settled[i] === 0) this.#queue.renewLease(entry.entryId);
    });
    this.#timer = this.#clock.setTimer(this.#queue.options.leaseMs / 2, () => this.#renew());
  }
}
