import {
  type Clock,
  type DeliveryAttempt,
  type Message,
  type MessagingCore,
  StressError,
} from '../../protocol/index.ts';
import type { ChaosInjector } from '../chaos/chaos-injector.ts';
import type { SeededRandom } from '../workload/seeded-random.ts';
import {
  DELIVERY_OUTCOMES,
  type DeliveryEvent,
  type DeliveryOutcome,
  type DeliverySink,
} from './delivery-sink.ts';
import type { LatencyModel } from './latency-model.ts';
import { sampleLatency } from './latency-model.ts';
import {
  type MockMessagingCoreOptions,
  type ResolvedMockAgent,
  resolveMockMessagingCoreOptions,
} from './mock-messaging-core-options.ts';
import { type DeliveryPlan, PendingDelivery, type SettleDelivery } from './pending-delivery.ts';

// Resolved promises are immutable, so every instant answer can share one.
const TRUE = Promise.resolve(true);
const FALSE = Promise.resolve(false);
const ONCE = { once: true } as const;

// Faults that still wait out the latency (or hang), and how each call then ends.
const DELAYED_FAULT_PLANS = {
  throw: 'threw',
  hang: 'hung',
  delivered_reported_failed: 'delivered_reported_failed',
  duplicate_delivery: 'duplicate',
} as const satisfies Record<string, DeliveryPlan>;

/**
 * A deterministic in-memory {@link MessagingCore}: each call draws its outcome (success rate, per-agent
 * overrides, chaos) from a seeded stream, waits its latency on the clock (not at all when it is 0), reports
 * exactly one {@link DeliveryEvent} to the sink (two for a duplicate delivery), then answers. A hung call
 * settles only when its signal aborts (then it rejects with the signal's reason); a `threw` call rejects with
 * `ERR_CHAOS_INJECTED`. It performs no I/O and holds only a bounded ring of recent events.
 */
export class MockMessagingCore implements MessagingCore {
  readonly #clock: Clock;
  readonly #random: SeededRandom;
  readonly #sink: DeliverySink;
  readonly #successRate: number;
  readonly #latency: LatencyModel;
  readonly #agents: ReadonlyMap<string, ResolvedMockAgent> | undefined;
  readonly #chaos: ChaosInjector | undefined;
  readonly #recent: Array<DeliveryEvent | undefined>;
  #recentNext = 0;
  #inFlight = 0;
  // Counts by outcome, in DELIVERY_OUTCOMES order.
  readonly #outcomes = new Float64Array(DELIVERY_OUTCOMES.length);

  /** Validates the options once; see {@link MockMessagingCoreOptions} for the defaults. */
  constructor(options: MockMessagingCoreOptions) {
    const resolved = resolveMockMessagingCoreOptions(options);
    this.#clock = resolved.clock;
    this.#random = resolved.random;
    this.#sink = resolved.sink;
    this.#successRate = resolved.successRate;
    this.#latency = resolved.latency;
    this.#agents = resolved.agents.size > 0 ? resolved.agents : undefined;
    this.#chaos = resolved.chaos?.enabled ? resolved.chaos : undefined;
    this.#recent = new Array<DeliveryEvent | undefined>(resolved.recentCapacity);
  }

  /** Calls that started and have not settled yet (waiting out latency, or hanging). */
  get inFlight(): number {
    return this.#inFlight;
  }

  /** Simulates one delivery of `message` to `recipient`. */
  deliver(message: Message, recipient: string, attempt: DeliveryAttempt): Promise<boolean> {
    const startedAt = this.#clock.now();
    // `onAbort` when the caller offers it (no listener on a signal, which the caller may then never create).
    const signal = attempt.onAbort === undefined ? attempt.signal : undefined;
    if (signal?.aborted) {
      this.#report(message, recipient, attempt.attempt, 'hung', startedAt);
      return Promise.reject(signal.reason);
    }
    const agent = this.#agents?.get(recipient);
    const chaos = this.#chaos;
    let plan: DeliveryPlan;
    const fault = agent?.full ? 'agent_full' : chaos?.outcomeFault(recipient);
    if (fault === undefined) {
      plan = this.#random.chance(agent ? agent.successRate : this.#successRate) ? 'delivered' : 'failed';
    } else if (fault === 'agent_full' || fault === 'delivery_failure') {
      plan = fault === 'agent_full' ? 'refused' : 'failed';
      this.#report(message, recipient, attempt.attempt, plan, startedAt);
      return FALSE;
    } else {
      plan = DELAYED_FAULT_PLANS[fault];
    }
    let latency = 0;
    if (plan !== 'hung') {
      latency = sampleLatency(agent ? agent.latency : this.#latency, this.#random);
      if (chaos !== undefined) latency += chaos.extraLatencyMs(recipient);
      if (latency <= 0) {
        const answer = this.#finish(message, recipient, attempt.attempt, plan, startedAt);
        return answer === true ? TRUE : answer === false ? FALSE : Promise.reject(answer);
      }
    }
    // Only a call that does not answer at once reports its start: an instant answer's event carries the same.
    this.#sink.onAttemptStart?.(message, recipient, startedAt);
    this.#inFlight++;
    const settle = this.#settle;
    return new Promise<boolean>((resolve, reject) => {
      const call = new PendingDelivery(settle, message, recipient, attempt, plan, startedAt, resolve, reject);
      if (plan !== 'hung') call.timer = this.#clock.setTimer(latency, () => call.complete());
      if (signal === undefined) attempt.onAbort?.(call);
      else signal.addEventListener('abort', call, ONCE);
    });
  }

  /** The last `recentCapacity` events, oldest first (for debugging a failed run). */
  recentDeliveries(): DeliveryEvent[] {
    const ring = this.#recent;
    const events: DeliveryEvent[] = [];
    for (let i = 0; i < ring.length; i++) {
      const event = ring[(this.#recentNext + i) % ring.length];
      if (event !== undefined) events.push(event);
    }
    return events;
  }

  /** Events reported so far, by outcome (a duplicate delivery counts twice as `delivered`). */
  outcomeCounts(): Record<DeliveryOutcome, number> {
    return Object.fromEntries(DELIVERY_OUTCOMES.map((outcome, i) => [outcome, this.#outcomes[i]])) as Record<
      DeliveryOutcome,
      number
    >;
  }

  readonly #settle: SettleDelivery = (call, plan, reason) => {
    this.#inFlight--;
    const { message, recipient, attempt, startedAt } = call;
    if (plan === 'hung') {
      if (call.timer !== undefined) this.#clock.clearTimer(call.timer);
      this.#report(message, recipient, attempt.attempt, 'hung', startedAt);
      call.reject(reason);
      return;
    }
    const answer = this.#finish(message, recipient, attempt.attempt, plan, startedAt);
    if (typeof answer === 'boolean') call.resolve(answer);
    else call.reject(answer);
  };

  // Reports the event(s) and returns the answer, or the error to reject with.
  #finish(message: Message, recipient: string, attempt: number, plan: DeliveryPlan, startedAt: number) {
    if (plan === 'duplicate') {
      this.#report(message, recipient, attempt, 'delivered', startedAt);
      this.#report(message, recipient, attempt, 'delivered', startedAt, true);
      return true;
    }
    this.#report(message, recipient, attempt, plan, startedAt);
    if (plan === 'delivered') return true;
    if (plan !== 'threw') return false;
    return new StressError(
      'ERR_CHAOS_INJECTED',
      `Chaos made the delivery of "${message.id}" to ${recipient} throw.`,
      {
        details: { messageId: message.id, recipient, attempt },
      },
    );
  }

  #report(
    message: Message,
    recipient: string,
    attempt: number,
    outcome: DeliveryOutcome,
    startedAt: number,
    injected = false,
  ) {
    const finishedAt = this.#clock.now();
    const event: DeliveryEvent = injected
      ? { message, recipient, attempt, outcome, startedAt, finishedAt, injected }
      : { message, recipient, attempt, outcome, startedAt, finishedAt };
    this.#outcomes[DELIVERY_OUTCOMES.indexOf(outcome)]!++;
    const ring = this.#recent;
    if (ring.length > 0) {
      ring[this.#recentNext] = event;
      this.#recentNext = this.#recentNext + 1 === ring.length ? 0 : this.#recentNext + 1;
    }
    this.#sink.onDelivery(event);
  }
}
