import fc from 'fast-check';
import type { ArrivalModel } from '../engine/index.ts';
import { invalidOption } from '../protocol/index.ts';

/** Constraints of {@link arrivalModel}. */
export interface ArrivalModelConstraints {
  /** Highest open-loop rate, in deliveries per agent per second. @default 1000 */
  readonly maxRatePerAgent?: number;
  /** Largest burst size a `burst` model may use. @default 100 */
  readonly maxBurstSize?: number;
  /** Longest gap between bursts, in ms. @default 1000 */
  readonly maxGapMs?: number;
}

const DEFAULT_OPEN: ArrivalModel = { kind: 'open', ratePerAgent: 25, process: 'constant' };

function bound(value: unknown, fallback: number, path: string): number {
  const resolved = value ?? fallback;
  if (typeof resolved !== 'number' || !Number.isInteger(resolved) || resolved < 1 || resolved > 1e9) {
    throw invalidOption(path, 'an integer from 1 to 1000000000', resolved);
  }
  return resolved;
}

/**
 * Arrival models (JSON-plain): open-loop streams at a generated rate, constant or Poisson, and bursts.
 * Shrinks towards the default (an open stream of 25 deliveries per agent per second, evenly spaced).
 */
export function arrivalModel(constraints: ArrivalModelConstraints = {}): fc.Arbitrary<ArrivalModel> {
  const maxRate = bound(constraints.maxRatePerAgent, 1000, 'maxRatePerAgent');
  const maxSize = bound(constraints.maxBurstSize, 100, 'maxBurstSize');
  const maxGapMs = bound(constraints.maxGapMs, 1000, 'maxGapMs');
  const open = fc
    .record({
      ratePerAgent: fc.integer({ min: 1, max: maxRate }),
      process: fc.constantFrom('constant' as const, 'poisson' as const),
    })
    .map(({ ratePerAgent, process }): ArrivalModel => ({ kind: 'open', ratePerAgent, process }));
  const burst = fc
    .record({
      size: fc.option(fc.integer({ min: 1, max: maxSize }), { nil: undefined }),
      gapMs: fc.integer({ min: 0, max: maxGapMs }),
    })
    .map(
      ({ size, gapMs }): ArrivalModel =>
        size === undefined ? { kind: 'burst', gapMs } : { kind: 'burst', size, gapMs },
    );
  return fc.oneof(
    { withCrossShrink: true },
    { arbitrary: fc.constant(DEFAULT_OPEN), weight: 2 },
    { arbitrary: open, weight: 1 },
    { arbitrary: burst, weight: 1 },
  );
}
