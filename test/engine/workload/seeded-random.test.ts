import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { deriveSeed, isValidSeed, SeededRandom } from '../../../src/engine/workload/seeded-random.ts';
import { StressError } from '../../../src/protocol/index.ts';

const draw = (random: SeededRandom, n = 20): number[] =>
  Array.from({ length: n }, (_, i) => (i % 2 === 0 ? random.nextFloat() : random.nextInt(-50, 50)));

describe('SeededRandom', () => {
  it('pins the sequence of seed 42, so replays keep working across versions', () => {
    const random = new SeededRandom(42);
    expect([random.nextInt(0, 1000), random.nextInt(0, 1000), random.nextInt(0, 1000)]).toEqual([
      267, 643, 521,
    ]);
    expect(random.nextFloat()).toBe(0.33222943573592745);
    expect(deriveSeed(42, 'core')).toBe(1071589020);
  });

  it('repeats the same sequence for the same seed and differs for another seed', () => {
    fc.assert(
      fc.property(fc.integer({ min: -(2 ** 31), max: 2 ** 32 - 1 }), (seed) => {
        expect(draw(new SeededRandom(seed))).toEqual(draw(new SeededRandom(seed)));
        const other = seed === 0 ? 1 : seed ^ 1;
        expect(draw(new SeededRandom(seed))).not.toEqual(draw(new SeededRandom(other)));
      }),
    );
  });

  it('keeps nextFloat in [0, 1) and nextInt within its inclusive bounds', () => {
    fc.assert(
      fc.property(fc.integer(), fc.integer({ min: -1000, max: 1000 }), fc.nat(1000), (seed, min, span) => {
        const random = new SeededRandom(seed | 0);
        for (let i = 0; i < 50; i++) {
          const float = random.nextFloat();
          expect(float >= 0 && float < 1).toBe(true);
          const int = random.nextInt(min, min + span);
          expect(Number.isInteger(int) && int >= min && int <= min + span).toBe(true);
        }
      }),
    );
  });

  it('spreads nextInt evenly', () => {
    const random = new SeededRandom(7);
    const buckets = new Array<number>(10).fill(0);
    for (let i = 0; i < 20_000; i++) buckets[random.nextInt(0, 9)]! += 1;
    for (const count of buckets) {
      expect(count).toBeGreaterThan(1800);
      expect(count).toBeLessThan(2200);
    }
  });

  it('draws nothing for a certain chance, so rate-0 consumers do not move the stream', () => {
    const a = new SeededRandom(3);
    const b = new SeededRandom(3);
    expect(a.chance(0)).toBe(false);
    expect(a.chance(-1)).toBe(false);
    expect(a.chance(1)).toBe(true);
    expect(a.nextFloat()).toBe(b.nextFloat());
    let hits = 0;
    for (let i = 0; i < 10_000; i++) if (a.chance(0.3)) hits++;
    expect(hits).toBeGreaterThan(2800);
    expect(hits).toBeLessThan(3200);
  });

  it('decides a chance with one 32-bit draw, pinned for seed 42', () => {
    const random = new SeededRandom(42);
    const outcomes = Array.from({ length: 8 }, () => random.chance(0.5));
    expect(outcomes).toEqual([true, true, true, true, false, false, false, false]);
    // Each chance consumed exactly one draw: a copy that skips 8 draws of `below` is at the same place.
    const copy = new SeededRandom(42);
    for (let i = 0; i < 8; i++) copy.below(2 ** 32);
    expect(random.nextFloat()).toBe(copy.nextFloat());
  });

  it('draws below(n) exactly as nextInt(0, n - 1), within bounds', () => {
    fc.assert(
      fc.property(fc.integer(), fc.integer({ min: 1, max: 2 ** 32 }), (seed, size) => {
        const a = new SeededRandom(seed);
        const b = new SeededRandom(seed);
        for (let i = 0; i < 5; i++) {
          const value = a.below(size);
          expect(value).toBe(b.nextInt(0, size - 1));
          expect(value >= 0 && value < size).toBe(true);
        }
      }),
    );
  });

  it('picks from an array and rejects an empty one', () => {
    const random = new SeededRandom(1);
    const seen = new Set(Array.from({ length: 200 }, () => random.pick(['a', 'b', 'c'])));
    expect([...seen].sort()).toEqual(['a', 'b', 'c']);
    expect(() => random.pick([])).toThrow(/non-empty array/);
  });

  it('forks streams that depend on the seed and label only, not on draws made before', () => {
    const parent = new SeededRandom(99);
    const early = draw(parent.fork('latency'));
    draw(parent, 100);
    expect(draw(parent.fork('latency'))).toEqual(early);
    expect(draw(parent.fork('chaos'))).not.toEqual(early);
    expect(draw(new SeededRandom(98).fork('latency'))).not.toEqual(early);
    // Forking does not shift the parent either.
    const a = new SeededRandom(5);
    const b = new SeededRandom(5);
    a.fork('x');
    expect(a.nextFloat()).toBe(b.nextFloat());
  });

  it('rejects seeds that are not 32-bit integers with a coded error', () => {
    for (const bad of [1.5, Number.NaN, 2 ** 32, -(2 ** 31) - 1, '1' as unknown as number]) {
      expect(isValidSeed(bad)).toBe(false);
      expect(() => new SeededRandom(bad)).toThrow(StressError);
    }
    expect(() => new SeededRandom(1.5)).toThrow(
      /Expected `seed` to be a 32-bit integer, got `1.5` \(number\)/,
    );
    expect(isValidSeed(2 ** 32 - 1)).toBe(true);
    expect(() => new SeededRandom(0).nextInt(5, 1)).toThrow(/min <= max/);
  });
});
