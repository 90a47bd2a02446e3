import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findNonJsonValue, isJsonPlain } from '../../src/protocol/json-value.ts';

const cyclic = (): object => {
  const value: Record<string, unknown> = { a: { b: [1, 2] } };
  (value.a as Record<string, unknown>).back = value;
  return value;
};

describe('isJsonPlain', () => {
  it('agrees with findNonJsonValue on anything fast-check generates, JSON and not', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.jsonValue(), fc.anything({ withMap: true, withDate: true, withBigInt: true })),
        (value) => {
          expect(isJsonPlain(value)).toBe(findNonJsonValue(value) === undefined);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('refuses cycles, class instances, undefined, NaN and functions, and takes shared (acyclic) objects', () => {
    for (const bad of [cyclic(), { d: new Date(0) }, { u: undefined }, [Number.NaN], { f: () => 1 }, 1n]) {
      expect(isJsonPlain(bad)).toBe(false);
      expect(findNonJsonValue(bad)).toBeDefined();
    }
    const shared = { x: 1 };
    expect(isJsonPlain({ a: shared, b: shared, c: [shared, shared] })).toBe(true);
    expect(isJsonPlain(Object.create(null))).toBe(true);
  });
});
