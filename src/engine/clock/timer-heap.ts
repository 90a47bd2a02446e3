/** A node of a {@link TimerHeap}: ordered by `due`, then by `id` (creation order). */
export interface HeapTimer {
  readonly id: number;
  readonly due: number;
  /** Position in the heap, or -1 when not in it; maintained by the heap. */
  index: number;
}

// Due time first, then creation order: two timers for the same instant come out in the order they were set.
const before = (a: HeapTimer, b: HeapTimer): boolean => a.due < b.due || (a.due === b.due && a.id < b.id);

/**
 * A binary min-heap of timers with O(log n) push, pop and removal from any position; each node records its
 * own index, so removing a cleared timer needs no search and leaves no tombstone behind.
 */
export class TimerHeap<T extends HeapTimer> {
  readonly #items: T[] = [];

  /** Number of timers held. */
  get size(): number {
    return this.#items.length;
  }

  /** The first timer out, without removing it. */
  peek(): T | undefined {
    return this.#items[0];
  }

  /** True when `timer` is currently in this heap. */
  has(timer: T): boolean {
    return timer.index >= 0 && this.#items[timer.index] === timer;
  }

  /** Adds `timer`. */
  push(timer: T): void {
    this.#items.push(timer);
    this.#siftUp(timer, this.#items.length - 1);
  }

  /** Removes and returns the first timer. */
  pop(): T | undefined {
    const top = this.#items[0];
    if (top !== undefined) this.remove(top);
    return top;
  }

  /** Removes `timer`, which must be in this heap (see {@link TimerHeap.has}). */
  remove(timer: T): void {
    const items = this.#items;
    const index = timer.index;
    timer.index = -1;
    const last = items.pop() as T;
    if (last === timer) return;
    items[index] = last;
    if (index > 0 && before(last, items[(index - 1) >> 1] as T)) this.#siftUp(last, index);
    else this.#siftDown(last, index);
  }

  #siftUp(timer: T, start: number): void {
    const items = this.#items;
    let index = start;
    while (index > 0) {
      const parentIndex = (index - 1) >> 1;
      const parent = items[parentIndex] as T;
      if (!before(timer, parent)) break;
      items[index] = parent;
      parent.index = index;
      index = parentIndex;
    }
    items[index] = timer;
    timer.index = index;
  }

  #siftDown(timer: T, start: number): void {
    const items = this.#items;
    const length = items.length;
    let index = start;
    for (;;) {
      const left = 2 * index + 1;
      if (left >= length) break;
      const right = left + 1;
      let childIndex = left;
      let child = items[left] as T;
      if (right < length && before(items[right] as T, child)) {
        childIndex = right;
        child = items[right] as T;
      }
      if (!before(child, timer)) break;
      items[index] = child;
      child.index = index;
      index = childIndex;
    }
    items[index] = timer;
    timer.index = index;
  }
}
