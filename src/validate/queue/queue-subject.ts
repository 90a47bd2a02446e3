import { invalidOption, StressError } from '../../protocol/index.ts';
import { FileQueueStore } from '../../queue/file-store/file-queue-store.ts';
import {
  MemoryQueueStore,
  MessageQueue,
  type MessageQueueOptions,
  MessageQueueProcessor,
  type MessageQueueProcessorOptions,
} from '../../queue/index.ts';

/**
 * The reference classes, handed to a queue module so it builds on the same copies the validator uses (a module
 * loaded from the sources must not bring its own `MessageQueue`, which would fail the processor's type check).
 */
export interface QueueKit {
  readonly MessageQueue: typeof MessageQueue;
  readonly MessageQueueProcessor: typeof MessageQueueProcessor;
  readonly MemoryQueueStore: typeof MemoryQueueStore;
  readonly FileQueueStore: typeof FileQueueStore;
  readonly StressError: typeof StressError;
}

/** The queue and processor `validate queue` drives; each check opens its own queue on a fresh store. */
export interface QueueSubject {
  /** Shown in the report. */
  readonly name: string;
  /** Opens a queue on the store the check chose (memory, or a fresh temporary file store). */
  openQueue(options: MessageQueueOptions): Promise<MessageQueue>;
  /** Builds a processor for a queue opened by {@link QueueSubject.openQueue}. */
  createProcessor(options: MessageQueueProcessorOptions): MessageQueueProcessor;
}

/**
 * What a queue module exports (as `createQueueSubject` or `default`): it receives the reference kit and
 * returns the parts it replaces; the rest stays the reference.
 * @example
 * export const createQueueSubject: QueueSubjectFactory = (kit) => ({
 *   name: 'my queue',
 *   openQueue: async (options) => wrap(await kit.MessageQueue.open(options)),
 * });
 */
export type QueueSubjectFactory = (kit: QueueKit) => Partial<QueueSubject>;

/** The kit of this copy of vitest-stress. */
export const QUEUE_KIT: QueueKit = {
  MessageQueue,
  MessageQueueProcessor,
  MemoryQueueStore,
  FileQueueStore,
  StressError,
};

/** The reference `MessageQueue` and `MessageQueueProcessor`, unchanged. */
export const REFERENCE_QUEUE_SUBJECT: QueueSubject = {
  name: 'reference MessageQueue + MessageQueueProcessor',
  openQueue: (options) => MessageQueue.open(options),
  createProcessor: (options) => new MessageQueueProcessor(options),
};

/** Builds the subject from a queue module's exports; throws `ERR_TARGET_MODULE` when it exports no factory. */
export function queueSubjectFromModule(exports: Record<string, unknown>, source: string): QueueSubject {
  const factory = exports.createQueueSubject ?? exports.default;
  if (typeof factory !== 'function') {
    throw new StressError(
      'ERR_TARGET_MODULE',
      `Expected the queue module ${source} to export \`createQueueSubject(kit)\` (or a default export) returning ` +
        `{ openQueue?, createProcessor?, name? }, got exports ${Object.keys(exports).join(', ') || '(none)'}.`,
    );
  }
  const parts = (factory as QueueSubjectFactory)(QUEUE_KIT);
  if (typeof parts !== 'object' || parts === null) {
    throw invalidOption(`${source} createQueueSubject(kit)`, 'an object', parts);
  }
  for (const key of ['openQueue', 'createProcessor'] as const) {
    if (parts[key] !== undefined && typeof parts[key] !== 'function') {
      throw invalidOption(`${source} createQueueSubject(kit).${key}`, 'a function', parts[key]);
    }
  }
  return {
    name: typeof parts.name === 'string' && parts.name !== '' ? parts.name : source,
    openQueue: parts.openQueue ?? REFERENCE_QUEUE_SUBJECT.openQueue,
    createProcessor: parts.createProcessor ?? REFERENCE_QUEUE_SUBJECT.createProcessor,
  };
}
