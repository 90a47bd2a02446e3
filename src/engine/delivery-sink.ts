import type { Message } from '../protocol/index.ts';

/** How one call to the mock core ended. */
export type DeliveryOutcome =
  /** Delivered and reported delivered. */
  | 'delivered'
  /** Not delivered, reported as a failure (`false`). */
  | 'failed'
  /** Not delivered; the core threw. */
  | 'threw'
  /** Never answered until the processor's timeout aborted it. */
  | 'hung'
  /** The recipient refused it (full inbox, backpressure). */
  | 'refused'
  /** Delivered, but reported as a failure: the processor will likely deliver it again. */
  | 'delivered_reported_failed';

/** One finished call to the mock core, timed on the run's clock. */
export interface DeliveryEvent {
  readonly message: Message;
  readonly recipient: string;
  readonly attempt: number;
  readonly outcome: DeliveryOutcome;
  /** Clock time the core was called. */
  readonly startedAt: number;
  /** Clock time the call finished. */
  readonly finishedAt: number;
}

/** Receives every delivery event of the mock core; the runner fans it out to the ledger and the metrics. */
export interface DeliverySink {
  onDelivery(event: DeliveryEvent): void;
  /**
   * Called when a call to the core starts that does not answer at once (it waits out a latency, or hangs): a
   * call that is never answered (its processor crashed) still marks when its unit was first attempted, so
   * order checks stay exact. A call answered at once reports only its event, whose `startedAt` says the same.
   */
  onAttemptStart?(message: Message, recipient: string, startedAt: number): void;
}

/** True when the outcome means the message reached its recipient. */
export function reachedRecipient(outcome: DeliveryOutcome): boolean {
  return outcome === 'delivered' || outcome === 'delivered_reported_failed';
}
