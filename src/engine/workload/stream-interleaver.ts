import { invalidOption } from '../../protocol/index.ts';
import type { SeededRandom } from './seeded-random.ts';

/**
 * Deals out a uniformly random interleaving of several streams of given lengths, one item at a time, as if
 * the whole multiset had been shuffled, but in O(streams) memory: each draw picks a stream with probability
 * proportional to what it has left, found in O(log streams) with a Fenwick tree of remaining counts.
 * @example
 * const deal = new StreamInterleaver([2, 1], random); // e.g. 0, 1, 0, then -1
 */
export class StreamInterleaver {
  readonly #tree: Float64Array;
  readonly #topStep: number;
  readonly #random: SeededRandom;
  #remaining = 0;

  /** `counts[i]` is how many items stream `i` holds. */
  constructor(counts: ArrayLike<number>, random: SeededRandom) {
    const n = counts.length;
    const tree = new Float64Array(n + 1);
    for (let i = 1; i <= n; i++) {
      const count = counts[i - 1] as number;
      if (!(Number.isSafeInteger(count) && count >= 0)) {
        throw invalidOption(`counts[${i - 1}]`, 'a non-negative integer', count);
      }
      this.#remaining += count;
      tree[i] = (tree[i] as number) + count;
      const parent = i + (i & -i);
      if (parent <= n) tree[parent] = (tree[parent] as number) + (tree[i] as number);
    }
    let step = 1;
    while (step * 2 <= n) step *= 2;
    this.#tree = tree;
    this.#topStep = n === 0 ? 0 : step;
    this.#random = random;
  }

  /** Items not dealt yet. */
  get remaining(): number {
    return this.#remaining;
  }

  /** The stream the next item comes from, or -1 once every stream is exhausted. */
  next(): number {
    if (this.#remaining === 0) return -1;
    const tree = this.#tree;
    const n = tree.length - 1;
    let rest = this.#random.below(this.#remaining);
    let position = 0;
    for (let step = this.#topStep; step > 0; step >>= 1) {
      const next = position + step;
      if (next <= n && (tree[next] as number) <= rest) {
        position = next;
        rest -= tree[next] as number;
      }
    }
    for (let i = position + 1; i <= n; i += i & -i) tree[i] = (tree[i] as number) - 1;
    this.#remaining--;
    return position;
  }
}
