// The durable file store (decision 0006): a journal of checksummed lines, streamed snapshots, a lock file.
export { FileQueueStore, type FileQueueStoreStats } from './file-queue-store.ts';
export {
  type FileQueueStoreOptions,
  type ResolvedFileQueueStoreOptions,
  resolveFileQueueStoreOptions,
  type StoreFaults,
} from './file-queue-store-options.ts';
