import type { AbortListener, DeliveryAttempt } from '../protocol/index.ts';

const call = (listener: AbortListener, reason: unknown): void => {
  if (typeof listener === 'function') listener(reason);
  else listener.handleAbort(reason);
};

/**
 * One recipient's {@link DeliveryAttempt} with nothing allocated up front: the `AbortController` is made only
 * when a core reads `signal` (or never), and a core that waits through `onAbort` hands over a listener it
 * already has. Aborting sets the signal (if made), then calls the listeners.
 */
export class RecipientAttempt implements DeliveryAttempt {
  readonly attempt: number;
  #controller: AbortController | undefined;
  #aborted = false;
  #reason: unknown;
  // One slot covers the one core a call goes to; more listeners go to a list.
  #listener: AbortListener | undefined;
  #more: AbortListener[] | undefined;

  constructor(attempt: number) {
    this.attempt = attempt;
  }

  /** Made on first read; already aborted when the attempt was. */
  get signal(): AbortSignal {
    if (this.#controller === undefined) {
      this.#controller = new AbortController();
      if (this.#aborted) this.#controller.abort(this.#reason);
    }
    return this.#controller.signal;
  }

  onAbort(listener: AbortListener): void {
    if (this.#aborted) call(listener, this.#reason);
    else if (this.#listener === undefined) this.#listener = listener;
    else if (this.#more === undefined) this.#more = [listener];
    else this.#more.push(listener);
  }

  /** Aborts once: the signal (if made) first, then each listener in the order it came. */
  abort(reason: unknown): void {
    if (this.#aborted) return;
    this.#aborted = true;
    this.#reason = reason;
    this.#controller?.abort(reason);
    const listener = this.#listener;
    const more = this.#more;
    this.#listener = undefined;
    this.#more = undefined;
    if (listener !== undefined) call(listener, reason);
    if (more !== undefined) for (const each of more) call(each, reason);
  }
}
