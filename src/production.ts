// `vitest-stress/production`: real delivery. The production processor factory and the real
// `InboxMessagingCore` live behind their own entry point because the isolation guard forbids loading the real
// core during a stress run; importing `vitest-stress` must never pull it in.
export {
  type CreateMessageQueueProcessorOptions,
  createMessageQueueProcessor,
  DEFAULT_QUEUE_DIRECTORY,
} from './inbox/create-message-queue-processor.ts';
export type { InboxMessage } from './inbox/inbox-file.ts';
export {
  InboxMessagingCore,
  type InboxMessagingCoreOptions,
  readInbox,
} from './inbox/inbox-messaging-core.ts';
