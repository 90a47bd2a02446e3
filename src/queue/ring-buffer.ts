const INITIAL_CAPACITY = 16;

/**
 * A growable circular FIFO: `push` and `shift` are O(1), unlike `Array.prototype.shift`, which copies the
 * whole backlog on every call.
 */
export class RingBuffer<T> {
  #items: (T | undefined)[] = new Array(INITIAL_CAPACITY);
  // The capacity is a power of two so an index wraps with a mask instead of a division.
  #mask = INITIAL_CAPACITY - 1;
  #head = 0;
  #size = 0;

  /** Number of items held. */
  get size(): number {
    return this.#size;
  }

  /** Appends `item` at the back. */
  push(item: T): void {
    if (this.#size === this.#items.length) this.#grow();
    this.#items[(this.#head + this.#size) & this.#mask] = item;
    this.#size++;
  }

  /** Removes and returns the front item, or `undefined` when empty. */
  shift(): T | undefined {
    if (this.#size === 0) return undefined;
    const item = this.#items[this.#head];
    // Clear the slot so a consumed item can be garbage-collected.
    this.#items[this.#head] = undefined;
    this.#head = (this.#head + 1) & this.#mask;
    this.#size--;
    return item;
  }

  /** Returns the front item without removing it, or `undefined` when empty. */
  peek(): T | undefined {
    return this.#size === 0 ? undefined : this.#items[this.#head];
  }

  /** Returns the items front to back, as a new array. */
  toArray(): T[] {
    const out: T[] = [];
    for (let i = 0; i < this.#size; i++) out.push(this.#items[(this.#head + i) & this.#mask] as T);
    return out;
  }

  #grow(): void {
    const next: (T | undefined)[] = new Array(this.#items.length * 2);
    for (let i = 0; i < this.#size; i++) next[i] = this.#items[(this.#head + i) & this.#mask];
    this.#items = next;
    this.#mask = next.length - 1;
    this.#head = 0;
  }
}
