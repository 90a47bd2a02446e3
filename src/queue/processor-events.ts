import type { Message } from '../protocol/index.ts';

/**
 * Callbacks a {@link MessageQueueProcessor} makes about messages it retries or gives up on. Shaped like the
 * engine's `TargetEvents`, so the engine's events object can be passed straight in.
 */
export interface ProcessorEvents {
  /** The processor gave up on `message` for these (still undelivered) recipients, with the last error. */
  deadLettered(message: Message, recipients: readonly string[], error: string): void;
  /** Another attempt of `message` was scheduled; `attempt` is its number (2 for the first retry). */
  retried(message: Message, attempt: number): void;
}
