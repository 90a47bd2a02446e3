import type { Clock, MessagingCore } from '../../protocol/index.ts';
import { MemoryQueueStore, type MessageQueue, type MessageQueueProcessor } from '../../queue/index.ts';
import type { QueueSubject } from './queue-subject.ts';

/** How a check builds its queue and processor. */
export interface CheckProcessorSetup {
  readonly clock: Clock;
  readonly core: MessagingCore;
  readonly capacity: number;
  readonly agents: readonly string[];
  readonly batchSize: number;
  readonly concurrency: number;
}

/**
 * Opens the subject's queue on a fresh memory store with a processor over it, runs `body`, and then stops the
 * processor and closes the queue, whatever `body` did: the setup the ordering, priority and memory checks share.
 */
export async function withProcessor<T>(
  subject: QueueSubject,
  setup: CheckProcessorSetup,
  body: (queue: MessageQueue, processor: MessageQueueProcessor) => Promise<T>,
): Promise<T> {
  const { clock, core, capacity, agents, batchSize, concurrency } = setup;
  const queue = await subject.openQueue({ store: new MemoryQueueStore(), clock, capacity });
  const processor = subject.createProcessor({
    queue,
    messagingCore: core,
    clock,
    agents,
    batchSize,
    concurrency,
  });
  try {
    return await body(queue, processor);
  } finally {
    await processor.stop();
    await queue.close();
  }
}
