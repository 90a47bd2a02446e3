import type { LiveEntry } from './live-entry.ts';
import { MinHeap } from './min-heap.ts';
import { RingBuffer } from './ring-buffer.ts';
import { SequenceQueue } from './sequence-queue.ts';

const byAvailability = (a: LiveEntry, b: LiveEntry): boolean =>
  a.availableAt < b.availableAt || (a.availableAt === b.availableAt && a.sequence < b.sequence);

/**
 * Where every live entry of a {@link MessageQueue} waits: a ready lane per priority (FIFO by sequence), a
 * min-heap of entries waiting out a backoff, and a FIFO of leases. With one lease length and a monotonic
 * clock, lease order is expiry order, so the lease FIFO needs no heap; a renewed or settled entry leaves a
 * stale slot behind that is skipped (only an entry's newest slot counts). Every operation is O(1) or O(log n).
 */
export class EntrySchedule {
  readonly #urgent = new SequenceQueue<LiveEntry>();
  readonly #regular = new SequenceQueue<LiveEntry>();
  readonly #delayed = new MinHeap<LiveEntry>(byAvailability);
  readonly #leases = new RingBuffer<LiveEntry>();
  #processing = 0;

  /** Entries leased and not yet settled or expired. */
  get processing(): number {
    return this.#processing;
  }

  /** Entries waiting out a backoff. */
  get delayed(): number {
    return this.#delayed.size;
  }

  /** Entries that `take` would hand out now. */
  get ready(): number {
    return this.#urgent.size + this.#regular.size;
  }

  /** Schedules a pending entry: ready when `availableAt <= now`, delayed otherwise. Returns true when ready. */
  add(entry: LiveEntry, now: number): boolean {
    entry.status = 'pending';
    if (entry.availableAt <= now) {
      (entry.urgent ? this.#urgent : this.#regular).push(entry);
      return true;
    }
    this.#delayed.push(entry);
    return false;
  }

  /** Leases the next ready entry until `leaseUntil` (urgent first, then by sequence), or returns undefined. */
  take(leaseUntil: number): LiveEntry | undefined {
    const entry = this.#urgent.shift() ?? this.#regular.shift();
    if (entry === undefined) return undefined;
    entry.status = 'processing';
    this.#lease(entry, leaseUntil);
    this.#processing++;
    return entry;
  }

  /** Moves a processing entry's lease end to `leaseUntil`. */
  renew(entry: LiveEntry, leaseUntil: number): void {
    this.#lease(entry, leaseUntil);
  }

  /** Takes a settled entry out of processing with its new status; a `pending` one must be `add`ed again. */
  release(entry: LiveEntry, status: 'pending' | 'delivered' | 'dead_lettered'): void {
    this.#processing--;
    entry.status = status;
    this.#dropStaleLeases();
  }

  /** Returns an unsettled processing entry to its ready lane (its lease ran out). */
  expire(entry: LiveEntry, now: number): void {
    if (entry.status !== 'processing') return;
    this.#processing--;
    this.add(entry, now);
  }

  /** Readies due backoffs and expires due leases (skipping entries whose ack or fail is being written). */
  refresh(now: number): boolean {
    let readied = false;
    for (
      let next = this.#delayed.peek();
      next !== undefined && next.availableAt <= now;
      next = this.#delayed.peek()
    ) {
      this.#delayed.pop();
      (next.urgent ? this.#urgent : this.#regular).push(next);
      readied = true;
    }
    for (let head = this.#leases.peek(); head !== undefined; head = this.#leases.peek()) {
      const current = head.leaseSlots === 1 && head.status === 'processing';
      if (current && head.leaseUntil > now) break;
      this.#leases.shift();
      head.leaseSlots--;
      if (current && !head.settling) {
        this.expire(head, now);
        readied = true;
      }
    }
    return readied;
  }

  /** The earliest backoff end or lease end still ahead, or Infinity. */
  nextDeadline(): number {
    const backoff = this.#delayed.peek()?.availableAt ?? Number.POSITIVE_INFINITY;
    const lease = this.#leases.peek()?.leaseUntil ?? Number.POSITIVE_INFINITY;
    return Math.min(backoff, lease);
  }

  #lease(entry: LiveEntry, leaseUntil: number): void {
    entry.leaseUntil = leaseUntil;
    entry.leaseSlots++;
    this.#leases.push(entry);
  }

  // Settled entries usually leave in lease order, so popping stale heads here keeps the FIFO short.
  #dropStaleLeases(): void {
    for (let head = this.#leases.peek(); head !== undefined; head = this.#leases.peek()) {
      if (head.leaseSlots === 1 && head.status === 'processing') break;
      this.#leases.shift();
      head.leaseSlots--;
    }
  }
}
