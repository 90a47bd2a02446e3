import { permutationTest } from 'simple-statistics';
import { SeededRandom } from '../engine/index.ts';

/** Permutations drawn per test: p-values are then accurate to about ±0.005. */
const PERMUTATIONS = 10_000;

/**
 * One-sided p-value that `current` is worse than `baseline` (larger when `worseIs` is 'greater'), from a
 * permutation test on the difference of means (simple-statistics), with a fixed seed so the same files give
 * the same verdict. `null` when either side has fewer than two runs.
 */
export function worsePValue(
  baseline: readonly number[],
  current: readonly number[],
  worseIs: 'greater' | 'less',
): number | null {
  if (baseline.length < 2 || current.length < 2) return null;
  const random = new SeededRandom(0x5eed);
  return permutationTest([...current], [...baseline], worseIs, PERMUTATIONS, () => random.nextFloat());
}
