export { type ArrivalModelConstraints, arrivalModel } from './arrival-model.ts';
export {
  type ChaosEventConstraints,
  chaosEvent,
  type ResolvedChaosEventConstraints,
  resolveChaosEventConstraints,
} from './chaos-event.ts';
export { type ChaosScheduleConstraints, chaosSchedule } from './chaos-schedule.ts';
export {
  type CheckStressPropertyOptions,
  checkStressProperty,
  type StressPropertyFailure,
  type StressPropertyReplay,
  type StressPropertyResult,
} from './check-stress-property.ts';
export { defaultWorkload } from './default-workload.ts';
export { formatStressPropertyFailure } from './format-stress-property-failure.ts';
export { DEFAULT_MESSAGE_MIX, type MessageMixConstraints, messageMix } from './message-mix.ts';
export { type ChaosInRun, chaosInRun, chaosWithinRun, runHorizonMs } from './run-horizon.ts';
export { describeStressCase, describeWorkload, type StressCase } from './stress-case.ts';
export {
  type StressCheck,
  type StressProperty,
  type StressPropertyOptions,
  type StressPropertyRunOptions,
  stressProperty,
} from './stress-property.ts';
export { type WorkloadOptionsConstraints, workloadOptions } from './workload-options.ts';
