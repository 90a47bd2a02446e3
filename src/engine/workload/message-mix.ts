import { invalidOption } from '../../protocol/index.ts';

/** Shares by key (message type, priority) that sum to 1; absent keys count as 0. */
export type Mix<K extends string> = Partial<Record<K, number>>;

const SUM_TOLERANCE = 1e-9;
const list = (keys: readonly string[]): string => keys.map((key) => `"${key}"`).join(', ');

/**
 * Validates a mix from user input: only known keys, each share a number from 0 to 1, summing to 1 within
 * 1e-9. Returns every key, absent ones as 0; `path` names it in errors.
 */
export function resolveMix<K extends string>(
  input: unknown,
  keys: readonly K[],
  path: string,
): Record<K, number> {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw invalidOption(path, `an object of shares by ${list(keys)}`, input);
  }
  const raw = input as Record<string, unknown>;
  for (const key of Object.keys(raw)) {
    if (!(keys as readonly string[]).includes(key)) {
      throw invalidOption(`${path}.${key}`, `absent (known keys: ${list(keys)})`, raw[key]);
    }
  }
  const mix = {} as Record<K, number>;
  let sum = 0;
  for (const key of keys) {
    const share = raw[key] ?? 0;
    if (typeof share !== 'number' || !(share >= 0 && share <= 1)) {
      throw invalidOption(`${path}.${key}`, 'a share from 0 to 1', share);
    }
    mix[key] = share;
    sum += share;
  }
  if (!(Math.abs(sum - 1) <= SUM_TOLERANCE)) {
    throw invalidOption(path, 'shares summing to 1', `shares summing to ${sum}`);
  }
  return mix;
}

/**
 * Splits `total` into whole quotas proportional to `mix` by the largest remainder method: each key gets the
 * floor of its exact share, and the units left over go to the largest fractional parts (ties to the key that
 * comes first in `keys`). The quotas sum to `total` exactly and a key with share 0 gets 0.
 * @example
 * largestRemainder(10, { a: 0.5, b: 0.25, c: 0.25 }, ['a', 'b', 'c']); // { a: 5, b: 3, c: 2 }
 */
export function largestRemainder<K extends string>(
  total: number,
  mix: Readonly<Record<K, number>>,
  keys: readonly K[],
): Record<K, number> {
  let sum = 0;
  for (const key of keys) sum += mix[key];
  const quotas = {} as Record<K, number>;
  const fractions: Array<{ key: K; fraction: number; order: number }> = [];
  let assigned = 0;
  keys.forEach((key, order) => {
    // Normalising by the sum absorbs the 1e-9 tolerance, so the leftover is always fewer than keys.length.
    const exact = (total * mix[key]) / sum;
    const floor = Math.floor(exact);
    quotas[key] = floor;
    assigned += floor;
    if (mix[key] > 0) fractions.push({ key, fraction: exact - floor, order });
  });
  fractions.sort((a, b) => b.fraction - a.fraction || a.order - b.order);
  for (let i = 0; i < total - assigned; i++) {
    const entry = fractions[i % fractions.length] as { key: K };
    quotas[entry.key] += 1;
  }
  return quotas;
}
