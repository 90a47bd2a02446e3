// `vitest-stress`: what a user needs to write a target, run a stress test, run a chaos property outside Vitest,
// and read what a run produced. The Vitest integration is `vitest-stress/vitest`; real delivery is
// `vitest-stress/production`. A curated list: adding a name here makes it public (see docs/USAGE.md "Public
// API"); internals (resolvers, formatters, guard plumbing, the ledger's parts) stay out.

// What a run leaves behind: the metrics file, its schema, regression comparison, isolation findings.
// Validators, programmatically (the CLI's `validate integration` and `validate queue`).
// The reference system under test: the queue, the processor, the stores.
export {
  compareMetricsRuns,
  type RegressionOptions,
  type RegressionReport,
  type RegressionRow,
  type RegressionVerdict,
} from './compare/compare-metrics-runs.ts';
// Writing a target: the ports a processor is driven through, and the message model it receives.
export type {
  InspectionUnit,
  StressTarget,
  StressTargetContext,
  StressTargetFactory,
  TargetEvents,
  TargetFaults,
  TargetInspection,
} from './engine/index.ts';
// Running a stress test: options, chaos, thresholds, clocks, the mock core, the report.
export {
  type ArrivalModel,
  CHAOS_KINDS,
  CHAOS_PRESET_NAMES,
  type ChaosEvent,
  type ChaosKind,
  type ChaosPresetName,
  type ChaosRates,
  type ChaosSchedule,
  chaosPreset,
  DEFAULT_THRESHOLDS,
  type DeliveryEvent,
  type DeliveryOutcome,
  type DeliveryProfile,
  type DeliverySink,
  type InvariantReport,
  type LatencyModel,
  type LatencyStats,
  listMetricPaths,
  type MessagingCoreContext,
  type MessagingCoreFactory,
  type MetricsReport,
  type MetricsSummary,
  type MockCoreSettings,
  MockMessagingCore,
  type MockMessagingCoreOptions,
  parseThreshold,
  RealClock,
  type StressOptions,
  type StressProgress,
  StressProgressEvent,
  type StressReport,
  StressRunner,
  type StressRunnerEventMap,
  type StressRunnerListener,
  type ThresholdSpec,
  type ThresholdsWithoutSamples,
  type ThresholdVerdict,
  VirtualClock,
  type VirtualClockOptions,
  type WorkloadOptions,
} from './engine/index.ts';
// Chaos properties outside Vitest (fast-check arbitraries, the property, its checker and replay).
export {
  type ArrivalModelConstraints,
  arrivalModel,
  type ChaosInRun,
  type ChaosScheduleConstraints,
  type CheckStressPropertyOptions,
  chaosInRun,
  chaosSchedule,
  checkStressProperty,
  type MessageMixConstraints,
  messageMix,
  type StressCase,
  type StressCheck,
  type StressProperty,
  type StressPropertyFailure,
  type StressPropertyOptions,
  type StressPropertyReplay,
  type StressPropertyResult,
  type StressPropertyRunOptions,
  stressProperty,
  type WorkloadOptionsConstraints,
  workloadOptions,
} from './generators/index.ts';
export {
  IsolationViolation,
  type IsolationViolationRecord,
  isIsolationViolation,
  type ViolationKind,
} from './isolation/index.ts';
export {
  BROADCAST_RECIPIENT,
  type Clock,
  type DeliveryAttempt,
  isBroadcast,
  isSafeAgentId,
  MESSAGE_PRIORITIES,
  MESSAGE_TAGS,
  MESSAGE_TYPES,
  type Message,
  type MessagePriority,
  type MessageTag,
  type MessageType,
  type MessagingCore,
  PARTICIPANT_KINDS,
  type ParticipantKind,
  StressError,
  type StressErrorCode,
  type StressErrorOptions,
  type TimerHandle,
  validateMessage,
} from './protocol/index.ts';
export {
  FileQueueStore,
  type FileQueueStoreOptions,
  type FileQueueStoreStats,
} from './queue/file-store/index.ts';
export {
  DURABLE_ON_RETURN,
  MemoryQueueStore,
  type MemoryQueueStoreOptions,
  MessageQueue,
  type MessageQueueOptions,
  MessageQueueProcessor,
  type MessageQueueProcessorOptions,
  type QueueEntry,
  type QueueEntryStatus,
  type QueueStats,
  type QueueStore,
  type RetryOptions,
} from './queue/index.ts';
export {
  createReferenceTarget,
  createStressRunner,
  type NodeStressOptions,
  type ReferenceTargetOptions,
  runStress,
} from './reference/index.ts';
export {
  assertRunMetricsFile,
  RUN_METRICS_SCHEMA,
  RUN_METRICS_VERSION,
  type RunMetricsFile,
  readRunMetricsFile,
  type StressTestResult,
  validateRunMetricsFile,
} from './report/index.ts';
export {
  type IntegrationFinding,
  type IntegrationReport,
  type ValidateIntegrationOptions,
  validateIntegration,
} from './validate/integration/index.ts';
export {
  type QueueCheckName,
  type QueueCheckResult,
  type QueueSubject,
  type QueueSubjectFactory,
  type QueueValidationReport,
  type ValidateQueueOptions,
  validateQueueBehavior,
} from './validate/queue/index.ts';
