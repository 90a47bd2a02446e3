import {
  type Clock,
  type Message,
  type MessagingCore,
  StressError,
  type TimerHandle,
} from '../protocol/index.ts';
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
 * function, no closure of our own, and no `AbortController` unless the core reads the attempt's `signal`).
 */
export function deliverToRecipients(delivery: RecipientDelivery): Promise<RecipientOutcome[]> {
  if (delivery.recipients.length === 0) return Promise.resolve([]);
  return new Promise((resolve) => new FanOut(delivery, resolve).start());
}

/** One call of {@link deliverToRecipients}: its outcomes so far, its timeout and its attempts. */
class FanOut {
  readonly #d: RecipientDelivery;
  readonly #resolve: (outcomes: RecipientOutcome[]) => void;
  readonly #outcomes: (RecipientOutcome | undefined)[];
  // One attempt per recipient, each with its own (lazy) signal: a broadcast to many agents would otherwise hang
  // many listeners on one signal.
  readonly #attempts: RecipientAttempt[];
  #pending: number;
  #finished = false;
  readonly #timer: TimerHandle;

  constructor(delivery: RecipientDelivery, resolve: (outcomes: RecipientOutcome[]) => void) {
    const count = delivery.recipients.length;
    this.#d = delivery;
    this.#resolve = resolve;
    this.#outcomes = new Array<RecipientOutcome | undefined>(count);
    this.#attempts = new Array<RecipientAttempt>(count);
    this.#pending = count;
    this.#timer = delivery.clock.setTimer(delivery.timeoutMs, () => this.#timeOut());
  }

  start(): void {
    const { core, message, recipients, attempt } = this.#d;
    for (let i = 0; i < recipients.length && !this.#finished; i++) {
      const recipient = recipients[i] as string;
      const each = new RecipientAttempt(attempt);
      this.#attempts[i] = each;
      let answer: boolean | PromiseLike<boolean>;
      try {
        answer = core.deliver(message, recipient, each);
      } catch (error) {
        this.#settle(i, { recipient, error: errorText(error) });
        continue;
      }
      Promise.resolve(answer).then(
        (ok) => this.#settle(i, ok === true ? { recipient } : { recipient, error: DELIVERY_FAILED }),
        (error: unknown) => this.#settle(i, { recipient, error: errorText(error) }),
      );
    }
  }

  #settle(index: number, outcome: RecipientOutcome): void {
    if (this.#finished || this.#outcomes[index] !== undefined) return;
    this.#outcomes[index] = outcome;
    if (--this.#pending === 0) this.#finish();
  }

  #timeOut(): void {
    if (this.#finished) return;
    const { message, recipients, timeoutMs } = this.#d;
    const reason = new StressError(
      'ERR_DELIVERY_TIMEOUT',
      `Expected the delivery of message "${message.id}" to settle within ${timeoutMs} ms, got no answer.`,
    );
    for (let i = 0; i < recipients.length; i++) {
      if (this.#outcomes[i] === undefined)
        this.#outcomes[i] = { recipient: recipients[i] as string, error: DELIVERY_TIMEOUT };
    }
    for (const each of this.#attempts) each?.abort(reason);
    this.#finish();
  }

  #finish(): void {
    this.#finished = true;
    this.#d.clock.clearTimer(this.#timer);
    this.#resolve(this.#outcomes as RecipientOutcome[]);
  }
}
