import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { integerShrinkingUp } from '../../src/generators/integer-shrinking-up.ts';

describe('integerShrinkingUp', () => {
  it('generates exactly what fc.integer generates from the same seed, so generated cases do not move', () => {
    for (const [min, max] of [
      [1, 100],
      [0, 500],
      [7, 7],
    ] as const) {
      const ours = fc.sample(integerShrinkingUp({ min, max }), { seed: 42, numRuns: 500 });
      expect(ours).toEqual(fc.sample(fc.integer({ min, max }), { seed: 42, numRuns: 500 }));
    }
  });

  it('shrinks a failing value towards max, stopping at the last value that still fails', () => {
    const top = fc.check(
      fc.property(integerShrinkingUp({ min: 1, max: 100 }), (n) => n < 10),
      { seed: 1 },
    );
    expect(top.counterexample).toEqual([100]);
    const bounded = fc.check(
      fc.property(integerShrinkingUp({ min: 1, max: 100 }), (n) => !(n >= 10 && n <= 61)),
      { seed: 2 },
    );
    expect(bounded.counterexample).toEqual([61]);
  });

  it('shrinks the same without a context (a counterexample given back to fast-check)', () => {
    const arbitrary = integerShrinkingUp({ min: 1, max: 100 });
    expect(arbitrary.canShrinkWithoutContext(50)).toBe(true);
    expect(arbitrary.canShrinkWithoutContext(101)).toBe(false);
    const first = [...arbitrary.shrink(50, undefined).take(3)].map((value) => value.value);
    expect(first[0]).toBe(100);
    expect(first.every((value) => value > 50 && value <= 100)).toBe(true);
    expect([...arbitrary.shrink(100, undefined)]).toEqual([]);
  });
});
