import { invalidOption } from '../protocol/index.ts';

/** The chaos-property knobs read from the environment, whichever runner runs the test. */
export interface StressVariables {
  /** `STRESS_NUM_RUNS`: cases per chaos property, overriding the project and the test. */
  readonly numRuns: number | null;
  /** `STRESS_SEED`: fast-check's seed, to replay a failure. */
  readonly seed: number | null;
  /** `STRESS_PATH`: fast-check's path of a shrunk failure; needs `STRESS_SEED`. */
  readonly path: string | null;
}

/** Reads `STRESS_NUM_RUNS`, `STRESS_SEED` and `STRESS_PATH`, rejecting malformed values with coded errors. */
export function readStressVariables(
  env: Readonly<Record<string, string | undefined>> = process.env,
): StressVariables {
  const text = (name: string): string | undefined => {
    const value = env[name]?.trim();
    return value === undefined || value === '' ? undefined : value;
  };
  const numRunsText = text('STRESS_NUM_RUNS');
  const numRuns = numRunsText === undefined ? null : Number(numRunsText);
  if (numRuns !== null && !(Number.isSafeInteger(numRuns) && numRuns >= 1)) {
    throw invalidOption('STRESS_NUM_RUNS', 'a positive integer', numRunsText);
  }
  const seedText = text('STRESS_SEED');
  const seed = seedText === undefined ? null : Number(seedText);
  if (seed !== null && !(Number.isInteger(seed) && seed >= -0x8000_0000 && seed <= 0xffff_ffff)) {
    throw invalidOption('STRESS_SEED', 'a 32-bit integer printed by a failed chaos property', seedText);
  }
  const path = text('STRESS_PATH') ?? null;
  if (path !== null && !/^\d+(:\d+)*$/.test(path)) {
    throw invalidOption('STRESS_PATH', 'a fast-check path such as "3:0:1"', path);
  }
  if (path !== null && seed === null) {
    throw invalidOption(
      'STRESS_SEED',
      'set together with STRESS_PATH (a path replays only with its seed)',
      seedText,
    );
  }
  return { numRuns, seed, path };
}
