export { ChaosInjector, type ChaosInjectorOptions } from './chaos/chaos-injector.ts';
export {
  CHAOS_PRESET_NAMES,
  type ChaosPreset,
  type ChaosPresetName,
  chaosPreset,
  isChaosPresetName,
} from './chaos/chaos-presets.ts';
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
} from './chaos/chaos-schedule.ts';
export { validateChaosSchedule } from './chaos/validate-chaos-schedule.ts';
export { RealClock } from './clock/real-clock.ts';
export {
  INSTANTS_PER_TURN,
  type RunUntilResult,
  runUntil,
  settleContinuations,
  type YieldFunction,
  yieldToEventLoop,
} from './clock/run-until.ts';
export { VirtualClock, type VirtualClockOptions } from './clock/virtual-clock.ts';
export { DeliveryLedger, type DeliveryVerdict } from './ledger/delivery-ledger.ts';
export type { DeliveryLedgerOptions, DeliveryProfile } from './ledger/delivery-ledger-options.ts';
export type { Conservation, InvariantReport, LedgerFinish } from './ledger/invariant-report.ts';
export { type EncodedHistogram, LatencyHistogram } from './metrics/latency-histogram.ts';
export { type LatencyStats, summarizeLatency } from './metrics/latency-stats.ts';
export { mergeSnapshots } from './metrics/merge-snapshots.ts';
export { listMetricPaths, lookupMetric, suggestMetricPaths } from './metrics/metric-path.ts';
export { MetricsCollector, type MetricsCollectorOptions } from './metrics/metrics-collector.ts';
export {
  buildMetricsReport,
  METRICS_REPORT_VERSION,
  type MetricsReport,
  type MetricsSummary,
  NONDETERMINISTIC_REPORT_FIELDS,
  type ReplayInfo,
  type RunInfo,
} from './metrics/metrics-report.ts';
export { METRICS_SCHEMA } from './metrics/metrics-schema.ts';
export {
  assertMetricsSnapshot,
  METRICS_SNAPSHOT_VERSION,
  type MetricsSnapshot,
} from './metrics/metrics-snapshot.ts';
export {
  mergeTimelines,
  RUN_TIMELINE_VERSION,
  type RunTimeline,
  type TimelineChaosEvent,
  type TimelineFinding,
  type TimelineInterval,
  timelineTotals,
} from './metrics/run-timeline.ts';
export { summarizeSnapshot } from './metrics/summarize-snapshot.ts';
export {
  DEFAULT_THRESHOLDS,
  evaluateThresholds,
  parseThresholds,
  type ThresholdSpec,
  type ThresholdsWithoutSamples,
  type ThresholdVerdict,
} from './metrics/threshold.ts';
export { parseThreshold } from './metrics/threshold-expression.ts';
export { TimelineRecorder, type TimelineRecorderOptions } from './metrics/timeline-recorder.ts';
export {
  DELIVERY_OUTCOMES,
  type DeliveryEvent,
  type DeliveryOutcome,
  type DeliverySink,
  reachedRecipient,
} from './mock-core/delivery-sink.ts';
export {
  DEFAULT_LATENCY,
  describeLatencyModel,
  type LatencyModel,
  resolveLatencyModel,
} from './mock-core/latency-model.ts';
export { MockMessagingCore } from './mock-core/mock-messaging-core.ts';
export type { MockAgentOptions, MockMessagingCoreOptions } from './mock-core/mock-messaging-core-options.ts';
export {
  type MessagingCoreContext,
  type MessagingCoreFactory,
  type MockCoreSettings,
  type ResolvedStressOptions,
  resolveStressOptions,
  type StressOptions,
} from './runner/stress-options.ts';
export type { DrainStatus, StressReport } from './runner/stress-report.ts';
export {
  runStress,
  type StressProgress,
  StressProgressEvent,
  StressRunner,
  type StressRunnerEventMap,
  type StressRunnerListener,
} from './runner/stress-runner.ts';
export type {
  InspectionUnit,
  StressTarget,
  StressTargetContext,
  StressTargetFactory,
  TargetEvents,
  TargetFaults,
  TargetInspection,
  TargetRequirements,
} from './runner/stress-target.ts';
export {
  type ArrivalModel,
  DEFAULT_ARRIVAL,
  type ResolvedArrivalModel,
  resolveArrivalModel,
} from './workload/arrival-model.ts';
export type { Mix } from './workload/message-mix.ts';
export { SeededRandom } from './workload/seeded-random.ts';
export {
  createWorkload,
  formatMessageId,
  parseMessageIndex,
  Workload,
  type WorkloadQuotas,
} from './workload/workload.ts';
export type { WorkloadOptions } from './workload/workload-options.ts';
