import type { DeliveryAttempt, Message, TimerHandle } from '../../protocol/index.ts';
import type { DeliveryOutcome } from './delivery-sink.ts';

/** How a mock delivery ends, decided when it starts; `duplicate` is a `delivered` reported twice. */
export type DeliveryPlan = DeliveryOutcome | 'duplicate';

/** Finishes a pending delivery as planned, or as `hung` (with the abort's reason) when its attempt aborted first. */
export type SettleDelivery = (call: PendingDelivery, plan: DeliveryPlan, reason?: unknown) => void;

/**
 * One mock delivery waiting out its latency (or hanging). It is its own abort listener, for the attempt's
 * `onAbort` (`handleAbort`) or its signal (`handleEvent`), so a call allocates no listener closure; the core's
 * `settle` does the reporting and answers the promise. It settles once: an abort after the latency has passed
 * changes nothing.
 */
export class PendingDelivery {
  /** The latency timer; absent for a hang, which only an abort ends. */
  timer: TimerHandle | undefined;
  #settled = false;

  /** Captures everything the core needs to finish the call later. */
  constructor(
    readonly settle: SettleDelivery,
    readonly message: Message,
    readonly recipient: string,
    readonly attempt: DeliveryAttempt,
    readonly plan: DeliveryPlan,
    readonly startedAt: number,
    readonly resolve: (delivered: boolean) => void,
    readonly reject: (reason: unknown) => void,
  ) {}

  /** The latency has passed: finish as planned. */
  complete(): void {
    if (this.#settled) return;
    this.#settled = true;
    if (this.attempt.onAbort === undefined) this.attempt.signal?.removeEventListener('abort', this);
    this.settle(this, this.plan);
  }

  /** The attempt aborted first (a delivery timeout): the call counts as hung. */
  handleAbort(reason: unknown): void {
    if (this.#settled) return;
    this.#settled = true;
    this.settle(this, 'hung', reason);
  }

  /** The attempt's signal aborted first. */
  handleEvent(): void {
    this.handleAbort(this.attempt.signal?.reason);
  }
}
