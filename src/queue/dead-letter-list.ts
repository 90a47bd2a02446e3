import type { QueueEntry } from './queue-entry.ts';
import { RingBuffer } from './ring-buffer.ts';

/** The dead letters a queue keeps: the newest `keep` of them, and a count of all of them. */
export class DeadLetterList {
  readonly #kept = new RingBuffer<QueueEntry>();
  readonly #keep: number;
  #count = 0;

  /** Creates a list keeping at most `keep` entries (`Infinity` for all). */
  constructor(keep: number) {
    this.#keep = keep;
  }

  /** Dead letters added so far, kept or not. */
  get count(): number {
    return this.#count;
  }

  /** Adds a dead-lettered entry, dropping the oldest kept one beyond `keep`. */
  add(entry: QueueEntry): void {
    this.#count++;
    if (this.#keep === 0) return;
    this.#kept.push(entry);
    if (this.#kept.size > this.#keep) this.#kept.shift();
  }

  /** The kept entries, oldest first. */
  toArray(): QueueEntry[] {
    return this.#kept.toArray();
  }
}
