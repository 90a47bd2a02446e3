export {
  type ArrivalModel,
  DEFAULT_ARRIVAL,
  type ResolvedArrivalModel,
  resolveArrivalModel,
} from './arrival-model.ts';
export { ChaosInjector, type ChaosInjectorOptions } from './chaos-injector.ts';
export {
  CHAOS_PRESET_NAMES,
  type ChaosPreset,
  type ChaosPresetName,
  chaosPreset,
  isChaosPresetName,
} from './chaos-presets.ts';
export {
  ALL_CHAOS_KINDS,
  BROKER_CHAOS_KINDS,
  type BrokerChaosKind,
  CHAOS_KINDS,
  CHAOS_OUTCOME_KINDS,
  CHAOS_RATE_KINDS,
  type ChaosEvent,
  type ChaosKind,
  type ChaosOutcomeKind,
  type ChaosRange,
  type ChaosRateKind,
  type ChaosRates,
  type ChaosSchedule,
  describeChaosSchedule,
  isBrokerChaosKind,
  type ResolvedChaosSchedule,
} from './chaos-schedule.ts';
export { DeliveryLedger, type DeliveryVerdict } from './delivery-ledger.ts';
export type { DeliveryLedgerOptions, DeliveryProfile } from './delivery-ledger-options.ts';
export {
  DELIVERY_OUTCOMES,
  type DeliveryEvent,
  type DeliveryOutcome,
  type DeliverySink,
  reachedRecipient,
} from './delivery-sink.ts';
export type { Conservation, InvariantReport, LedgerFinish } from './invariant-report.ts';
export { type EncodedHistogram, LatencyHistogram } from './latency-histogram.ts';
export {
  DEFAULT_LATENCY,
  describeLatencyModel,
  type LatencyModel,
  resolveLatencyModel,
} from './latency-model.ts';
export { type LatencyStats, summarizeLatency } from './latency-stats.ts';
export { mergeSnapshots } from './merge-snapshots.ts';
export type { Mix } from './message-mix.ts';
export { listMetricPaths, lookupMetric, suggestMetricPaths } from './metric-path.ts';
export { MetricsCollector, type MetricsCollectorOptions } from './metrics-collector.ts';
export {
  buildMetricsReport,
  METRICS_REPORT_VERSION,
  type MetricsReport,
  type MetricsSummary,
  NONDETERMINISTIC_REPORT_FIELDS,
  type ReplayInfo,
  type RunInfo,
} from './metrics-report.ts';
export { METRICS_SCHEMA } from './metrics-schema.ts';
export { assertMetricsSnapshot, METRICS_SNAPSHOT_VERSION, type MetricsSnapshot } from './metrics-snapshot.ts';
export { MockMessagingCore } from './mock-messaging-core.ts';
export type { MockAgentOptions, MockMessagingCoreOptions } from './mock-messaging-core-options.ts';
export { RealClock } from './real-clock.ts';
export {
  mergeTimelines,
  RUN_TIMELINE_VERSION,
  type RunTimeline,
  type TimelineChaosEvent,
  type TimelineFinding,
  type TimelineInterval,
  timelineTotals,
} from './run-timeline.ts';
export { type RunUntilResult, runUntil, type YieldFunction, yieldToEventLoop } from './run-until.ts';
export { SeededRandom } from './seeded-random.ts';
export {
  type MockCoreSettings,
  type ResolvedStressOptions,
  resolveStressOptions,
  type StressOptions,
} from './stress-options.ts';
export type { DrainStatus, StressReport } from './stress-report.ts';
export {
  runStress,
  type StressProgress,
  StressProgressEvent,
  StressRunner,
  type StressRunnerEventMap,
  type StressRunnerListener,
} from './stress-runner.ts';
export type {
  InspectionUnit,
  StressTarget,
  StressTargetContext,
  StressTargetFactory,
  TargetEvents,
  TargetFaults,
  TargetInspection,
  TargetRequirements,
} from './stress-target.ts';
export { summarizeSnapshot } from './summarize-snapshot.ts';
export {
  DEFAULT_THRESHOLDS,
  evaluateThresholds,
  parseThresholds,
  type ThresholdSpec,
  type ThresholdsWithoutSamples,
  type ThresholdVerdict,
} from './threshold.ts';
export { parseThreshold } from './threshold-expression.ts';
export { TimelineRecorder, type TimelineRecorderOptions } from './timeline-recorder.ts';
export { validateChaosSchedule } from './validate-chaos-schedule.ts';
export { VirtualClock, type VirtualClockOptions } from './virtual-clock.ts';
export {
  createWorkload,
  formatMessageId,
  parseMessageIndex,
  Workload,
  type WorkloadQuotas,
} from './workload.ts';
export type { WorkloadOptions } from './workload-options.ts';
