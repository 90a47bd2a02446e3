import { type Clock, type Message, type MessagingCore, StressError } from '../protocol/index.ts';

/** How one recipient's delivery ended: `error` is set when it failed. */
export interface RecipientOutcome {
  readonly recipient: string;
  readonly error?: string;
}

/** One attempt at delivering a message to several recipients at once. */
export interface RecipientDelivery {
  readonly core: MessagingCore;
  readonly clock: Clock;
  readonly message: Message;
  readonly recipients: readonly string[];
  /** 1 for the first attempt, 2 for the first retry, and so on. */
  readonly attempt: number;
  readonly timeoutMs: number;
}

/** Error text of a delivery the core reported as failed (`false`). */
export const DELIVERY_FAILED = 'delivery_failed';
/** Error text of a delivery that did not settle within the timeout. */
export const DELIVERY_TIMEOUT = 'delivery_timeout';

const errorText = (error: unknown): string =>
  error instanceof Error ? error.message || error.name : String(error) || 'delivery_threw';

/**
 * Calls `core.deliver` for every recipient at once and resolves with each outcome; never rejects. A throw or
 * `false` is a failure; a delivery still unsettled after `timeoutMs` on the clock is aborted through its
 * signal and counted as {@link DELIVERY_TIMEOUT}, and whatever it does later is ignored.
 */
export async function deliverToRecipients(delivery: RecipientDelivery): Promise<RecipientOutcome[]> {
  const { core, clock, message, recipients, attempt, timeoutMs } = delivery;
  if (recipients.length === 0) return [];
  // One controller per recipient: a broadcast to many agents would otherwise hang many listeners on one signal.
  const controllers: AbortController[] = [];
  let onTimeout!: () => void;
  const timedOut = new Promise<RecipientOutcome | undefined>((resolve) => {
    onTimeout = () => resolve(undefined);
  });
  const timer = clock.setTimer(timeoutMs, () => {
    const reason = new StressError(
      'ERR_DELIVERY_TIMEOUT',
      `Expected the delivery of message "${message.id}" to settle within ${timeoutMs} ms, got no answer.`,
    );
    for (const controller of controllers) controller.abort(reason);
    onTimeout();
  });
  const deliverOne = async (recipient: string): Promise<RecipientOutcome> => {
    const controller = new AbortController();
    controllers.push(controller);
    const attemptInfo = { attempt, signal: controller.signal };
    let answer: Promise<RecipientOutcome>;
    try {
      answer = Promise.resolve(core.deliver(message, recipient, attemptInfo)).then(
        (ok) => (ok === true ? { recipient } : { recipient, error: DELIVERY_FAILED }),
        (error: unknown) => ({ recipient, error: errorText(error) }),
      );
    } catch (error) {
      return { recipient, error: errorText(error) };
    }
    return (await Promise.race([answer, timedOut])) ?? { recipient, error: DELIVERY_TIMEOUT };
  };
  try {
    return await Promise.all(recipients.map(deliverOne));
  } finally {
    clock.clearTimer(timer);
  }
}
