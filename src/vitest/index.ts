import fc from 'fast-check';
// Declares `task.meta.stress` (per-test settings) and `task.meta.stressResult` for users' type checks.
import './task-meta.ts';

export type { StressReport } from '../engine/index.ts';
export {
  type ChaosEventConstraints,
  type ChaosInRun,
  type ChaosScheduleConstraints,
  chaosEvent,
  chaosInRun,
  chaosSchedule,
  type MessageMixConstraints,
  messageMix,
  type StressCase,
  type WorkloadOptionsConstraints,
  workloadOptions,
} from '../generators/index.ts';
export type { IsolationViolationRecord } from '../isolation/index.ts';
export type { StressTestResult } from '../report/index.ts';
export type { ChaosPropertyBody, ChaosPropertyOptions } from '../suite/chaos-property.ts';
export {
  getStressEnvironment,
  STRESS_ENVIRONMENT_KEY,
  type StressEnvironmentState,
} from '../suite/environment-state.ts';
export type { StressFixture, StressRunOverrides } from '../suite/stress-fixture.ts';
export type {
  ResolvedStressProjectOptions,
  StressIsolationSettings,
  StressProjectOptions,
} from '../suite/stress-project-options.ts';
export type { StressRunSettings } from '../suite/stress-settings.ts';
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
