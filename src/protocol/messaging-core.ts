import type { Message } from './message.ts';

/** What {@link DeliveryAttempt.onAbort} calls: a function, or an object's `handleAbort` (no closure needed). */
export type AbortListener = ((reason: unknown) => void) | { handleAbort(reason: unknown): void };

/** Extra facts about one delivery attempt, passed by the processor to its core. */
export interface DeliveryAttempt {
  /** 1 for the first attempt, 2 for the first retry, and so on. */
  readonly attempt: number;
  /** Aborted when the processor gives up waiting (delivery timeout) or stops. */
  readonly signal?: AbortSignal;
  /**
   * Calls `listener` once with the abort reason when the attempt is aborted (when `signal` aborts), at once if
   * it already was. Optional: a cheaper way to wait for the abort than a listener on `signal` for a core that
   * keeps many calls waiting, and the processor may then create the signal only when a core reads it. A core
   * that finds no `onAbort` listens on `signal`. Call it as a method.
   */
  onAbort?(listener: AbortListener): void;
}

/**
 * The port every delivery goes through: deliver one message to one recipient (a broadcast is fanned out by
 * the processor first). Resolves to whether it was delivered; a rejection counts as a failure.
 * The TypeScript form of the original `send_message(content, sender, recipient, message_type, priority,
 * tags, metadata) -> bool`, with the whole message (type, priority and tags included) always passed through.
 */
export interface MessagingCore {
  deliver(message: Message, recipient: string, attempt: DeliveryAttempt): Promise<boolean>;
}
