// What every test-runner entry point (`vitest-stress/vitest`, `vitest-stress/jest`) re-exports alike: the
// generators for chaos properties, the environment's state, and the types a stress test names. One list, so the
// front ends cannot drift apart; each entry adds its own runner's pieces.
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
export type { ChaosPropertyBody, ChaosPropertyOptions } from './chaos-property.ts';
export {
  getStressEnvironment,
  STRESS_ENVIRONMENT_KEY,
  type StressEnvironmentState,
} from './environment-state.ts';
export type { StressFixture, StressRunOverrides } from './stress-fixture.ts';
export type { StressProjectOptions } from './stress-project-options.ts';
export type { StressRunSettings } from './stress-settings.ts';
