import { type DeliveryOutcome, type StressOptions, VirtualClock } from '../engine/index.ts';
import type { DeliveryAttempt, Message, MessagingCore } from '../protocol/index.ts';

/** Builds a run's core from the run's context (the engine's `messagingCore` option). */
export type CoreFactory = NonNullable<StressOptions['messagingCore']>;

/** One delivery a real core made: what must be in the inbox afterwards. */
export interface DeliveredUnit {
  readonly messageId: string;
  readonly recipient: string;
}

/**
 * Wraps a real {@link MessagingCore} for a stress run: each call runs as external work (a virtual clock holds
 * still during the I/O), is timed on the wall clock, and is reported to the run's sink so the ledger and
 * metrics see it. On a virtual clock the measured duration is then waited on the clock, so the run's latency
 * is the real core's service time. Every successful call is also appended to `delivered`.
 */
export function timedCoreFactory(real: MessagingCore, delivered: DeliveredUnit[]): CoreFactory {
  return (context) => {
    const virtual = context.clock instanceof VirtualClock;
    return {
      async deliver(message: Message, recipient: string, attempt: DeliveryAttempt): Promise<boolean> {
        const startedAt = context.clock.now();
        // Reported now, not with the event: the ledger takes attempt starts in clock order.
        context.sink.onAttemptStart?.(message, recipient, startedAt);
        const wallStart = performance.now();
        let outcome: DeliveryOutcome = 'threw';
        try {
          const ok = await context.externalWork(() => real.deliver(message, recipient, attempt));
          outcome = ok ? 'delivered' : 'failed';
          if (ok) delivered.push({ messageId: message.id, recipient });
          return ok;
        } finally {
          if (virtual) await context.clock.sleep(performance.now() - wallStart).catch(() => undefined);
          context.sink.onDelivery({
            message,
            recipient,
            attempt: attempt.attempt,
            outcome,
            startedAt,
            finishedAt: context.clock.now(),
          });
        }
      },
    };
  };
}
