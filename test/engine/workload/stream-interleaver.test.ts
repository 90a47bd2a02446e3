import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SeededRandom } from '../../../src/engine/workload/seeded-random.ts';
import { StreamInterleaver } from '../../../src/engine/workload/stream-interleaver.ts';

describe('StreamInterleaver', () => {
  it('deals every item of every stream exactly once, then -1', () => {
    fc.assert(
      fc.property(fc.array(fc.nat(30), { maxLength: 40 }), fc.integer(), (counts, seed) => {
        const deal = new StreamInterleaver(counts, new SeededRandom(seed | 0));
        const dealt = new Array<number>(counts.length).fill(0);
        const total = counts.reduce((a, b) => a + b, 0);
        for (let i = 0; i < total; i++) {
          expect(deal.remaining).toBe(total - i);
          const stream = deal.next();
          expect(stream).toBeGreaterThanOrEqual(0);
          dealt[stream]! += 1;
        }
        expect(deal.next()).toBe(-1);
        expect(deal.remaining).toBe(0);
        expect(dealt).toEqual(counts);
      }),
    );
  });

  it('picks streams in proportion to what they have left', () => {
    const random = new SeededRandom(2);
    const firsts = [0, 0, 0];
    for (let i = 0; i < 6000; i++) firsts[new StreamInterleaver([1, 2, 3], random).next()]! += 1;
    expect(firsts[0]! / 6000).toBeCloseTo(1 / 6, 1);
    expect(firsts[1]! / 6000).toBeCloseTo(2 / 6, 1);
    expect(firsts[2]! / 6000).toBeCloseTo(3 / 6, 1);
  });

  it('is deterministic per seed and rejects bad counts', () => {
    const run = (seed: number) => {
      const deal = new StreamInterleaver([5, 5, 5], new SeededRandom(seed));
      return Array.from({ length: 15 }, () => deal.next());
    };
    expect(run(1)).toEqual(run(1));
    expect(run(1)).not.toEqual(run(2));
    expect(() => new StreamInterleaver([1, -1], new SeededRandom(1))).toThrow(/`counts\[1\]`/);
    expect(new StreamInterleaver([], new SeededRandom(1)).next()).toBe(-1);
  });
});
