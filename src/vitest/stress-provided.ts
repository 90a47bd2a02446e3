import type { ResolvedStressProjectOptions } from '../suite/stress-project-options.ts';

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

export { readStressVariables } from '../suite/stress-variables.ts';
