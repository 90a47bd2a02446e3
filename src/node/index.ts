export { ATOMIC_TEMP_SUFFIX, syncDirectory, writeFileAtomic } from './atomic-write.ts';
// Regression checks between metrics files; comparison mode (which needs the real core) is in the CLI only.
export {
  compareMetricsRuns,
  type RegressionOptions,
  type RegressionReport,
  type RegressionRow,
  type RegressionVerdict,
} from './compare/compare-metrics-runs.ts';
export { formatRegressionMarkdown, formatRegressionText } from './compare/format-regression.ts';
export { FileQueueStore, type FileQueueStoreStats } from './file-queue-store.ts';
export {
  type FileQueueStoreOptions,
  type ResolvedFileQueueStoreOptions,
  resolveFileQueueStoreOptions,
  type StoreFaults,
} from './file-queue-store-options.ts';
// The real InboxMessagingCore is not re-exported here: it is reachable only through `vitest-stress/production`
// (and the CLI's comparison mode), so loading `vitest-stress` never loads real delivery.
export * from './isolation/index.ts';
export { createReferenceTarget, REFERENCE_STORE_TEMP_PREFIX } from './reference-target.ts';
export {
  type ReferenceTargetOptions,
  type ResolvedReferenceTargetOptions,
  resolveReferenceTargetOptions,
} from './reference-target-options.ts';
export * from './report/index.ts';
export {
  createStressRunner,
  type NodeStressOptions,
  nodeRunEnvironment,
  runStress,
  withNodeDefaults,
} from './run-stress.ts';
export { toolVersion } from './tool-version.ts';
export * from './validate-integration/index.ts';
export { type MetricsValidation, readMetricsFile, validateMetricsReport } from './validate-metrics-file.ts';
export * from './validate-queue/index.ts';
