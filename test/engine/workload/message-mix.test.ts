import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { largestRemainder, resolveMix } from '../../../src/engine/workload/message-mix.ts';

const KEYS = ['a', 'b', 'c', 'd'] as const;

describe('largestRemainder', () => {
  it('gives the leftover units to the largest fractions, ties to the earlier key', () => {
    expect(largestRemainder(10, { a: 0.5, b: 0.25, c: 0.25, d: 0 }, KEYS)).toEqual({
      a: 5,
      b: 3,
      c: 2,
      d: 0,
    });
    expect(largestRemainder(100, { a: 0.5, b: 0.25, c: 0.25, d: 0 }, KEYS)).toEqual({
      a: 50,
      b: 25,
      c: 25,
      d: 0,
    });
    expect(largestRemainder(2, { a: 0.2, b: 0.3, c: 0.5, d: 0 }, KEYS)).toEqual({ a: 0, b: 1, c: 1, d: 0 });
    expect(largestRemainder(1, { a: 1 / 3, b: 1 / 3, c: 1 / 3, d: 0 }, KEYS)).toEqual({
      a: 1,
      b: 0,
      c: 0,
      d: 0,
    });
  });

  it('sums to the total, stays within 1 of each exact share and never favours a smaller fraction', () => {
    const weights = fc.array(fc.nat(20), { minLength: 4, maxLength: 4 }).filter((w) => w.some((x) => x > 0));
    fc.assert(
      fc.property(fc.nat(10_000), weights, (total, w) => {
        const sum = w.reduce((x, y) => x + y, 0);
        const mix = { a: w[0]! / sum, b: w[1]! / sum, c: w[2]! / sum, d: w[3]! / sum };
        const quotas = largestRemainder(total, mix, KEYS);
        expect(KEYS.reduce((acc, key) => acc + quotas[key], 0)).toBe(total);
        const exact = (key: (typeof KEYS)[number]) => (total * w[KEYS.indexOf(key)]!) / sum;
        for (const key of KEYS) {
          expect(quotas[key] === Math.floor(exact(key)) || quotas[key] === Math.floor(exact(key)) + 1).toBe(
            true,
          );
          if (mix[key] === 0) expect(quotas[key]).toBe(0);
        }
        const fraction = (key: (typeof KEYS)[number]) => exact(key) - Math.floor(exact(key));
        const rounded = KEYS.filter((key) => quotas[key] > Math.floor(exact(key)));
        const kept = KEYS.filter((key) => quotas[key] === Math.floor(exact(key)) && mix[key] > 0);
        for (const up of rounded)
          for (const down of kept) expect(fraction(up)).toBeGreaterThanOrEqual(fraction(down) - 1e-9);
      }),
    );
  });
});

describe('resolveMix', () => {
  it('fills absent keys with 0', () => {
    expect(resolveMix({ b: 1 }, KEYS, 'mix')).toEqual({ a: 0, b: 1, c: 0, d: 0 });
    expect(resolveMix({ a: 0.1, b: 0.2, c: 0.7 }, KEYS, 'mix')).toEqual({ a: 0.1, b: 0.2, c: 0.7, d: 0 });
  });

  it.each([
    [[], /`mix` to be an object of shares/],
    [{ e: 1 }, /`mix.e` to be absent/],
    [{ a: -0.5, b: 1.5 }, /`mix.a` to be a share from 0 to 1/],
    [{ a: '1' }, /`mix.a`/],
    [{ a: 0.5, b: 0.4 }, /`mix` to be shares summing to 1, got "shares summing to 0.9/],
    [{}, /summing to 1/],
  ])('rejects %j', (input, message) => {
    expect(() => resolveMix(input, KEYS, 'mix')).toThrow(message);
  });
});
