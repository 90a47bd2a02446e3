import { MinHeap } from './min-heap.ts';
import { RingBuffer } from './ring-buffer.ts';

/** Anything ordered by a sequence number. */
export interface Sequenced {
  readonly sequence: number;
}

const bySequence = (a: Sequenced, b: Sequenced): boolean => a.sequence < b.sequence;

/**
 * Hands items out in ascending `sequence` order. New items arrive in ascending order and take an O(1) ring
 * buffer; items that come back out of order (a retry after its backoff, an expired lease) take an O(log n)
 * heap, and `shift` returns whichever of the two fronts is older.
 */
export class SequenceQueue<T extends Sequenced> {
  readonly #fresh = new RingBuffer<T>();
  readonly #returned = new MinHeap<T>(bySequence);
  #lastFresh = Number.NEGATIVE_INFINITY;

  /** Number of items held. */
  get size(): number {
    return this.#fresh.size + this.#returned.size;
  }

  /** Adds `item`; O(1) when its sequence is above every sequence pushed before, O(log n) otherwise. */
  push(item: T): void {
    if (item.sequence > this.#lastFresh) {
      this.#lastFresh = item.sequence;
      this.#fresh.push(item);
    } else {
      this.#returned.push(item);
    }
  }

  /** Returns the item with the lowest sequence without removing it, or `undefined` when empty. */
  peek(): T | undefined {
    const fresh = this.#fresh.peek();
    const returned = this.#returned.peek();
    if (returned === undefined) return fresh;
    if (fresh === undefined) return returned;
    return returned.sequence < fresh.sequence ? returned : fresh;
  }

  /** Removes and returns the item with the lowest sequence, or `undefined` when empty. */
  shift(): T | undefined {
    const fresh = this.#fresh.peek();
    const returned = this.#returned.peek();
    if (returned !== undefined && (fresh === undefined || returned.sequence < fresh.sequence)) {
      return this.#returned.pop();
    }
    return this.#fresh.shift();
  }

  /** Returns the items in ascending sequence order, as a new array (O(n log n); for inspection only). */
  toArray(): T[] {
    return [...this.#fresh.toArray(), ...this.#returned.toArray()].sort((a, b) => a.sequence - b.sequence);
  }
}
