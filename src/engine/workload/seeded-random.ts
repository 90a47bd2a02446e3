import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import type { RandomGenerator } from 'pure-rand/types/RandomGenerator';
import { invalidOption } from '../../protocol/index.ts';

const MIN_SEED = -0x8000_0000;
const MAX_SEED = 0xffff_ffff;

/** True when `seed` is an integer that fits in 32 bits (signed or unsigned), as fast-check prints them. */
export function isValidSeed(seed: unknown): seed is number {
  return typeof seed === 'number' && Number.isInteger(seed) && seed >= MIN_SEED && seed <= MAX_SEED;
}

// murmur3's finalizer: spreads every input bit over the whole word so nearby seeds give unrelated streams.
function mix32(value: number): number {
  let h = value | 0;
  h = Math.imul(h ^ (h >>> 16), 0x85eb_ca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2_ae35);
  return (h ^ (h >>> 16)) | 0;
}

/** Derives the seed of the stream named `label` under `seed` (FNV-1a over the label, then mixed). */
export function deriveSeed(seed: number, label: string): number {
  let h = mix32(seed ^ 0x9e37_79b9);
  for (let i = 0; i < label.length; i++) {
    h = Math.imul(h ^ label.charCodeAt(i), 0x0100_0193);
  }
  return mix32(h);
}

/**
 * A deterministic random stream over pure-rand's xoroshiro128+; the only source of randomness in the engine.
 * @example
 * const root = new SeededRandom(42);
 * const latency = root.fork('latency'); // unaffected by how much `root` or other forks draw
 */
export class SeededRandom {
  /** The seed this stream was created from, as given. */
  readonly seed: number;
  readonly #rng: RandomGenerator;

  /** Creates the stream for a 32-bit integer seed. */
  constructor(seed: number) {
    if (!isValidSeed(seed)) throw invalidOption('seed', 'a 32-bit integer', seed);
    this.seed = seed;
    this.#rng = xoroshiro128plus(seed | 0);
  }

  /** A float in [0, 1) with 53 random bits. */
  nextFloat(): number {
    return uniformFloat64(this.#rng);
  }

  /** An integer from `min` to `max`, both included. */
  nextInt(min: number, max: number): number {
    if (!(Number.isSafeInteger(min) && Number.isSafeInteger(max) && min <= max)) {
      throw invalidOption('nextInt(min, max)', 'safe integers with min <= max', `${min}, ${max}`);
    }
    return uniformInt(this.#rng, min, max);
  }

  /**
   * True with probability `p`. A certain outcome (`p <= 0` or `p >= 1`) draws nothing, so a fault kind at
   * rate 0 costs no time and does not move the stream.
   */
  chance(p: number): boolean {
    if (p <= 0) return false;
    if (p >= 1) return true;
    // One 32-bit draw (a resolution of 2^-32 is plenty for a rate) instead of a 53-bit float's two.
    return this.#rng.next() + 0x8000_0000 < p * 0x1_0000_0000;
  }

  /**
   * An integer from 0 to `size - 1`, for hot loops: `size` must be a whole number from 1 to 2^32 (unchecked).
   * Unbiased: draws falling in the incomplete top interval are redrawn.
   */
  below(size: number): number {
    const rng = this.#rng;
    const limit = size > 2 ? Math.floor(0x1_0000_0000 / size) * size : 0x1_0000_0000;
    let value = rng.next() + 0x8000_0000;
    while (value >= limit) value = rng.next() + 0x8000_0000;
    return value % size;
  }

  /** One item of a non-empty array, uniformly. */
  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw invalidOption('pick(items)', 'a non-empty array', items);
    return items[uniformInt(this.#rng, 0, items.length - 1)] as T;
  }

  /**
   * An independent stream derived from this stream's seed and `label` only (not from how much was drawn),
   * so adding a consumer never shifts the numbers another consumer sees. The same label gives the same stream.
   */
  fork(label: string): SeededRandom {
    return new SeededRandom(deriveSeed(this.seed, label));
  }
}
