import fc from 'fast-check';
// Declares `task.meta.stress` (per-test settings) and `task.meta.stressResult` for users' type checks.
import './task-meta.ts';

export * from '../suite/front-end-exports.ts';
export type {
  ResolvedStressProjectOptions,
  StressIsolationSettings,
} from '../suite/stress-project-options.ts';
export { defineStressProject } from './define-stress-project.ts';
export { type StressMatchers, stressMatchers } from './matchers.ts';
export { type StressReporterOptions, stressPlugin } from './stress-plugin.ts';
export { STRESS_PROVIDE_KEY, type StressProvidedContext } from './stress-provided.ts';
export {
  currentProjectOptions,
  type StressTestAPI,
  type StressTestFixtures,
  stressTest,
} from './stress-test.ts';

/** fast-check, re-exported so tests build arbitraries with the same instance vitest-stress uses. */
export { fc };
