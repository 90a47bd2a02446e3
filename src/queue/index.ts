export { DELIVERY_FAILED, DELIVERY_TIMEOUT } from './deliver-to-recipients.ts';
export {
  MemoryQueueStore,
  type MemoryQueueStoreFaults,
  type MemoryQueueStoreOptions,
} from './memory-queue-store.ts';
export { type FailOptions, MessageQueue, type QueueStats } from './message-queue.ts';
export {
  type MessageQueueOptions,
  type ResolvedMessageQueueOptions,
  resolveMessageQueueOptions,
} from './message-queue-options.ts';
export {
  MessageQueueProcessor,
  type ProcessCounts,
  type ProcessorRunOptions,
} from './message-queue-processor.ts';
export {
  type MessageQueueProcessorOptions,
  type ResolvedMessageQueueProcessorOptions,
  resolveMessageQueueProcessorOptions,
} from './message-queue-processor-options.ts';
export type { ProcessorEvents } from './processor-events.ts';
export type { QueueEntry, QueueEntryStatus } from './queue-entry.ts';
export { QueueJournal } from './queue-journal.ts';
export type { QueueRecord } from './queue-record.ts';
export { DURABLE_ON_RETURN, type QueueStore, type RecoveredQueue } from './queue-store.ts';
export { type RetryOptions, type RetryPolicy, resolveRetryPolicy, retryDelayMs } from './retry-policy.ts';
