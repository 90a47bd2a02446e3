/** Returns true when `a` must come out of the heap before `b`. */
export type HeapOrder<T> = (a: T, b: T) => boolean;

/** A binary min-heap: `push` and `pop` are O(log n), `peek` is O(1). */
export class MinHeap<T> {
  readonly #items: T[] = [];
  readonly #before: HeapOrder<T>;

  /** Creates an empty heap ordered by `before`. */
  constructor(before: HeapOrder<T>) {
    this.#before = before;
  }

  /** Number of items held. */
  get size(): number {
    return this.#items.length;
  }

  /** Returns the first item without removing it, or `undefined` when empty. */
  peek(): T | undefined {
    return this.#items[0];
  }

  /** Adds `item`. */
  push(item: T): void {
    const items = this.#items;
    let index = items.length;
    items.push(item);
    while (index > 0) {
      const parent = (index - 1) >> 1;
      const above = items[parent] as T;
      if (!this.#before(item, above)) break;
      items[index] = above;
      index = parent;
    }
    items[index] = item;
  }

  /** Removes and returns the first item, or `undefined` when empty. */
  pop(): T | undefined {
    const items = this.#items;
    if (items.length <= 1) return items.pop();
    const first = items[0] as T;
    const last = items.pop() as T;
    const length = items.length;
    let index = 0;
    for (;;) {
      const left = 2 * index + 1;
      if (left >= length) break;
      const right = left + 1;
      const child = right < length && this.#before(items[right] as T, items[left] as T) ? right : left;
      const below = items[child] as T;
      if (!this.#before(below, last)) break;
      items[index] = below;
      index = child;
    }
    items[index] = last;
    return first;
  }

  /** Returns the items in no particular order, as a new array. */
  toArray(): T[] {
    return this.#items.slice();
  }
}
