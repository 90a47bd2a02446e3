import { resolve } from 'node:path';
import { RealClock } from '../engine/index.ts';
import type { Clock, MessagingCore } from '../protocol/index.ts';
import { FileQueueStore } from '../queue/file-store/file-queue-store.ts';
import {
  MessageQueue,
  type MessageQueueOptions,
  MessageQueueProcessor,
  type MessageQueueProcessorOptions,
} from '../queue/index.ts';
import { InboxMessagingCore } from './inbox-messaging-core.ts';

/** The directory, under the workspace root, of the production queue's file store. */
export const DEFAULT_QUEUE_DIRECTORY = 'message_queue';

/** Options of {@link createMessageQueueProcessor}: the processor's, with every dependency optional. */
export interface CreateMessageQueueProcessorOptions
  extends Partial<Omit<MessageQueueProcessorOptions, 'queue' | 'messagingCore' | 'clock' | 'agents'>> {
  /** The registered agents; a broadcast fans out to each. */
  readonly agents: readonly string[];
  /**
   * The injection point. When unset the processor delivers for real through an `InboxMessagingCore` rooted at
   * `workspaceRoot`, as the original did; a stress test always injects its mock here.
   */
  readonly messagingCore?: MessagingCore;
  /** @default a queue on a `FileQueueStore` in `<workspaceRoot>/message_queue` */
  readonly queue?: MessageQueue;
  /** Queue settings used when `queue` is unset. @default {} */
  readonly queueOptions?: Omit<MessageQueueOptions, 'store' | 'clock'>;
  /** @default a `RealClock` */
  readonly clock?: Clock;
  /** Root of the swarm's workspace (inboxes live under `agent_workspaces/`). @default process.cwd() */
  readonly workspaceRoot?: string;
}

/**
 * Builds the production processor, backward compatible with the original: without an injected core it uses
 * the real `InboxMessagingCore`; with one, every delivery goes through it and nothing else (there is no
 * fallback path that writes inbox files on failure).
 */
export async function createMessageQueueProcessor(
  options: CreateMessageQueueProcessorOptions,
): Promise<MessageQueueProcessor> {
  const workspaceRoot = resolve(options.workspaceRoot ?? process.cwd());
  const clock = options.clock ?? new RealClock();
  const queue =
    options.queue ??
    (await MessageQueue.open({
      ...options.queueOptions,
      store: new FileQueueStore({ directory: resolve(workspaceRoot, DEFAULT_QUEUE_DIRECTORY) }),
      clock,
    }));
  const messagingCore = options.messagingCore ?? new InboxMessagingCore({ workspaceRoot });
  const { queueOptions: _queueOptions, workspaceRoot: _root, ...processorOptions } = options;
  return new MessageQueueProcessor({
    ...processorOptions,
    queue,
    messagingCore,
    clock,
  });
}
