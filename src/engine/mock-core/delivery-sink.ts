import type { Message } from '../../protocol/index.ts';

/**
 * How a call to the mock core can end, in the order counts are reported: `delivered`; `failed` (not delivered,
 * reported `false`); `threw`; `hung` (never answered until the processor's timeout aborted it); `refused` (the
 * recipient was full); `delivered_reported_failed` (delivered, but reported as a failure, so the processor
 * will likely deliver it again).
 */
export const DELIVERY_OUTCOMES = [
  'delivered',
  'failed',
  'threw',
  'hung',
  'refused',
  'delivered_reported_failed',
] as const;

/** How one call to the mock core ended; see {@link DELIVERY_OUTCOMES}. */
export type DeliveryOutcome = (typeof DELIVERY_OUTCOMES)[number];

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
  /**
   * True on the copy the mock core delivered on its own (the second event of a `duplicate_delivery`): a
   * duplicate the core made, not the processor. Absent otherwise.
   */
  readonly injected?: true;
}

/** Receives every delivery event of the mock core; the runner fans it out to the ledger and the metrics. */
export interface DeliverySink {
  onDelivery(event: DeliveryEvent): void;
  /**
   * Called when a call to the core starts that does not answer at once (it waits out a latency, or hangs): a
   * call that is never answered (its processor crashed) still marks when its unit was first attempted, so
   * order checks stay exact. A call answered at once reports only its event, whose `startedAt` says the same.
   * Starts reach the ledger in clock order: it judges order as the run goes and refuses, with
   * `ERR_EVENT_ORDER`, a first start earlier than one already reported (a call that answered later without
   * calling this when it started).
   */
  onAttemptStart?(message: Message, recipient: string, startedAt: number): void;
}

/** True when the outcome means the message reached its recipient. */
export function reachedRecipient(outcome: DeliveryOutcome): boolean {
  return outcome === 'delivered' || outcome === 'delivered_reported_failed';
}
