import { type Clock, type Message, type MessagingCore, StressError } from '../protocol/index.ts';
import { RecipientAttempt } from './recipient-attempt.ts';

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
 * signal (or `onAbort`) and counted as {@link DELIVERY_TIMEOUT}, and whatever it does later is ignored. One promise
 * per call and one `then` per recipient: the hot path of every delivery (no race, no per-recipient async
 * function, and no `AbortController` unless the core reads the attempt's `signal`).
 */
export function deliverToRecipients(delivery: RecipientDelivery): Promise<RecipientOutcome[]> {
  const { core, clock, message, recipients, attempt, timeoutMs } = delivery;
  const count = recipients.length;
  if (count === 0) return Promise.resolve([]);
  return new Promise((resolve) => {
    const outcomes = new Array<RecipientOutcome | undefined>(count);
    // One attempt per recipient, each with its own (lazy) signal: a broadcast to many agents would otherwise hang
    // many listeners on one signal.
    const attempts = new Array<RecipientAttempt>(count);
    let pending = count;
    let finished = false;
    const finish = (): void => {
      finished = true;
      clock.clearTimer(timer);
      resolve(outcomes as RecipientOutcome[]);
    };
    const settle = (index: number, outcome: RecipientOutcome): void => {
      if (finished || outcomes[index] !== undefined) return;
      outcomes[index] = outcome;
      if (--pending === 0) finish();
    };
    const timer = clock.setTimer(timeoutMs, () => {
      if (finished) return;
      const reason = new StressError(
        'ERR_DELIVERY_TIMEOUT',
        `Expected the delivery of message "${message.id}" to settle within ${timeoutMs} ms, got no answer.`,
      );
      for (let i = 0; i < count; i++) {
        if (outcomes[i] === undefined)
          outcomes[i] = { recipient: recipients[i] as string, error: DELIVERY_TIMEOUT };
      }
      for (const each of attempts) each?.abort(reason);
      finish();
    });
    for (let i = 0; i < count && !finished; i++) {
      const recipient = recipients[i] as string;
      const each = new RecipientAttempt(attempt);
      attempts[i] = each;
      let answer: boolean | PromiseLike<boolean>;
      try {
        answer = core.deliver(message, recipient, each);
      } catch (error) {
        settle(i, { recipient, error: errorText(error) });
        continue;
      }
      Promise.resolve(answer).then(
        (ok) => settle(i, ok === true ? { recipient } : { recipient, error: DELIVERY_FAILED }),
        (error: unknown) => settle(i, { recipient, error: errorText(error) }),
      );
    }
  });
}
