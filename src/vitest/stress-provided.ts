import { invalidOption } from '../protocol/index.ts';
import type { ResolvedStressProjectOptions } from './stress-project-options.ts';

/** The key of the value {@link defineStressProject} provides to tests (`inject('vitestStress')`). */
export const STRESS_PROVIDE_KEY = 'vitestStress';

/** What the project provides to its tests: its options and the chaos-property knobs from the environment. */
export interface StressProvidedContext {
  readonly project: ResolvedStressProjectOptions;
  /** `STRESS_NUM_RUNS`: cases per chaos property, overriding the project and the test. */
  readonly numRuns: number | null;
  /** `STRESS_SEED`: fast-check's seed, to replay a failure. */
  readonly seed: number | null;
  /** `STRESS_PATH`: fast-check's path of a shrunk failure; needs `STRESS_SEED`. */
  readonly path: string | null;
  /** This run's `--shard`, so each stress test records which shard ran it and a merge can find missing ones. */
  readonly shard: { readonly index: number; readonly count: number } | null;
}

declare module 'vitest' {
  interface ProvidedContext {
    vitestStress: StressProvidedContext;
  }
}

/** Reads `STRESS_NUM_RUNS`, `STRESS_SEED` and `STRESS_PATH`, rejecting malformed values with coded errors. */
export function readStressVariables(
  env: Readonly<Record<string, string | undefined>> = process.env,
): Pick<StressProvidedContext, 'numRuns' | 'seed' | 'path'> {
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
