export { ATOMIC_TEMP_SUFFIX, syncDirectory, writeFileAtomic } from './atomic-write.ts';
export { FileQueueStore, type FileQueueStoreStats } from './file-queue-store.ts';
export {
  type FileQueueStoreOptions,
  type ResolvedFileQueueStoreOptions,
  resolveFileQueueStoreOptions,
  type StoreFaults,
} from './file-queue-store-options.ts';
export { InboxMessagingCore, type InboxMessagingCoreOptions, readInbox } from './inbox-messaging-core.ts';
export * from './isolation/index.ts';
export { createReferenceTarget, REFERENCE_STORE_TEMP_PREFIX } from './reference-target.ts';
export {
  type ReferenceTargetOptions,
  type ResolvedReferenceTargetOptions,
  resolveReferenceTargetOptions,
} from './reference-target-options.ts';
export { createStressRunner, type NodeStressOptions, runStress, withNodeDefaults } from './run-stress.ts';
export { toolVersion } from './tool-version.ts';
export * from './validate-integration/index.ts';
export { type MetricsValidation, readMetricsFile, validateMetricsReport } from './validate-metrics-file.ts';
