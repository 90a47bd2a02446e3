import fc from 'fast-check';

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
export type { IsolationViolationRecord } from '../isolation/isolation-violation.ts';
export type { StressTestResult } from '../report/stress-test-record.ts';
export type { ChaosPropertyBody, ChaosPropertyOptions } from '../suite/chaos-property.ts';
export {
  getStressEnvironment,
  STRESS_ENVIRONMENT_KEY,
  type StressEnvironmentState,
} from '../suite/environment-state.ts';
export type { StressFixture, StressRunOverrides } from '../suite/stress-fixture.ts';
export type { StressProjectOptions } from '../suite/stress-project-options.ts';
export type { StressRunSettings } from '../suite/stress-settings.ts';
export { type StressMatchers, stressMatchers } from './matchers.ts';
export {
  currentJestProjectOptions,
  type JestStressContext,
  type JestStressTestAPI,
  type JestStressTestBody,
  type JestStressTestOptions,
  stressTest,
} from './stress-test.ts';

/** fast-check, re-exported so tests build arbitraries with the same instance vitest-stress uses. */
export { fc };
