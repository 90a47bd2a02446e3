import type { DeliveryAttempt, Message, TimerHandle } from '../../protocol/index.ts';
import type { DeliveryOutcome } from './delivery-sink.ts';

/** How a mock delivery ends, decided when it starts; `duplicate` is a `delivered` reported twice. */
export type DeliveryPlan = DeliveryOutcome | 'duplicate';

/** Finishes a pending delivery as planned, or as `hung` when its signal aborted first. */
export type SettleDelivery = (call: PendingDelivery, plan: DeliveryPlan) => void;

/**
 * One mock delivery waiting out its latency (or hanging). It is its own abort listener (`handleEvent`), so a
 * call allocates no listener closure; the core's `settle` does the reporting and answers the promise.
 */
export class PendingDelivery {
  /** The latency timer; absent for a hang, which only an abort ends. */
  timer: TimerHandle | undefined;

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
    this.attempt.signal?.removeEventListener('abort', this);
    this.settle(this, this.plan);
  }

  /** The caller's signal aborted first (a delivery timeout): the call counts as hung. */
  handleEvent(): void {
    this.settle(this, 'hung');
  }
}
