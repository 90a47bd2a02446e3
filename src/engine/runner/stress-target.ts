import type { Clock, JsonObject, Message, MessagingCore } from '../../protocol/index.ts';
import type { BrokerChaosKind, ChaosEvent } from '../chaos/chaos-schedule.ts';

/**
 * What {@link TargetInspection} counts: `'entry'` (a message as the target stores it: a broadcast waiting for
 * three agents is one entry) or `'unit'` (a delivery unit, one message to one recipient: that broadcast is three).
 */
export type InspectionUnit = 'entry' | 'unit';

/**
 * What a target reports about itself at any moment; the ledger and queue-depth metrics read it. Counts are in
 * `unit` (entries unless the target says otherwise). The ledger accounts in delivery units: it reads `n` entries
 * as every still-unresolved unit of at most `n` messages (the largest ones, so a pending broadcast is never
 * taken for lost units), and `n` units as at most `n` unresolved units. Either way a count is capped by what
 * was sent and is still unresolved.
 */
export interface TargetInspection {
  /** Accepted and waiting (including those waiting out a retry backoff). */
  readonly pending: number;
  /** Handed to a delivery attempt that has not finished. */
  readonly processing: number;
  /** What `pending` and `processing` count. @default 'entry' */
  readonly unit?: InspectionUnit;
}

/** Callbacks a target makes so the engine can account for every message it gave up on or retried. */
export interface TargetEvents {
  /** The target gave up on `message` for these recipients after its last attempt failed. */
  deadLettered(message: Message, recipients: readonly string[], error: string): void;
  /** The target scheduled another attempt for `message`. */
  retried(message: Message, attempt: number): void;
  /**
   * A fact about the run the report must carry (in `notes`): an isolation allowance the target used, the
   * broker it started, the persistence it ran with.
   */
  note(text: string): void;
}

/** Faults the engine can ask a target to suffer; a target that cannot simulate one ignores it. */
export interface TargetFaults {
  /** Called before each store write; a returned error makes that write fail (chaos `store_write_failure`). */
  storeWrite(): Error | undefined;
}

/** Everything a {@link StressTargetFactory} receives: the injected core and clock, and the run's agents. */
export interface StressTargetContext {
  /** The mock messaging core; every delivery must go through it. */
  readonly messagingCore: MessagingCore;
  readonly clock: Clock;
  /** Agent ids of the run (`Agent-1`..`Agent-N`); broadcasts fan out to these. */
  readonly agents: readonly string[];
  readonly events: TargetEvents;
  readonly faults: TargetFaults;
  /**
   * Wraps real asynchronous work (file or database I/O) so a virtual clock does not move while it runs; this
   * keeps durable targets deterministic. Returns the same promise's result.
   */
  readonly externalWork: <T>(work: () => Promise<T>) => Promise<T>;
  /** Target-specific options from the user's configuration (JSON-plain). */
  readonly options: JsonObject;
}

/**
 * A queue processor under test, adapted to the engine. `enqueue` resolves once the target has accepted the
 * message (durably, if it is durable) and rejects with a `StressError` coded `ERR_QUEUE_FULL` when it
 * refuses it for backpressure; a target that decides at once may instead return nothing (accepted) or throw
 * (refused), which spares a promise per message. Nothing else is required: `crash` and `restart` enable
 * crash chaos.
 * @example
 * const target: StressTarget = {
 *   enqueue: (message) => processor.submit(message),
 *   whenIdle: () => processor.drained(),
 *   inspect: () => ({ pending: processor.pending, processing: processor.inFlight }),
 *   close: () => processor.stop(),
 * };
 */
export interface StressTarget {
  /** Accepts the message: resolves (to any value, which is ignored) or returns nothing, else rejects or throws. */
  // biome-ignore lint/suspicious/noConfusingVoidType: `void` lets a target that decides at once return nothing.
  enqueue(message: Message): Promise<unknown> | void;
  /** Resolves when nothing is pending or processing. The engine drives the clock while it waits. */
  whenIdle(): Promise<void>;
  inspect(): TargetInspection;
  /** Abandons in-flight work abruptly, as a killed process would; pending work must survive in its store. */
  crash?(): Promise<void>;
  /** Starts again after {@link StressTarget.crash}, recovering from its store. */
  restart?(): Promise<void>;
  /**
   * Suffers one broker fault at its scheduled time (a {@link BrokerChaosKind} event) and resolves once it is
   * over (the broker is back). Targets without a broker leave it out and such events are skipped with a
   * warning; a fault the target cannot suffer rejects with a `StressError` saying why.
   */
  injectFault?(event: ChaosEvent & { readonly kind: BrokerChaosKind }): Promise<void>;
  /** Stops gracefully: in-flight deliveries finish, nothing is left processing. */
  close(): Promise<void>;
  /**
   * The worst-case time (ms of the run's clock) this target needs to settle what it holds now (`held`, its
   * own {@link StressTarget.inspect}), with every delivery timing out and every retry spent. When the run
   * does not set `drainTimeoutMs`, the final drain waits at least this long, so a correct target that is slow
   * by design (long timeouts, long backoffs) is never failed for a drain budget it could not meet.
   */
  settleTimeMs?(held: TargetInspection): number;
}

/** What a target needs of the run, known before it is built (from its own settings). */
export interface TargetRequirements {
  /** A target driving real I/O with its own timers (a real broker) cannot run on virtual time. */
  readonly clock?: 'real';
  /** The drain timeout the target's own timeouts call for, used when the run sets none. */
  readonly drainTimeoutMs?: number;
  /**
   * Whether the target promises per-stream order (and urgent-first per recipient); false where its documented
   * semantics do not (concurrent consumers), so the run checks neither unless it asks. @default true
   */
  readonly ordered?: boolean;
}

/**
 * Builds a target around the injected messaging core and clock. A factory may carry `requirements`: a function
 * of the run's `targetOptions` saying what the run must give it.
 */
export type StressTargetFactory = ((context: StressTargetContext) => StressTarget | Promise<StressTarget>) & {
  readonly requirements?: (targetOptions: JsonObject) => TargetRequirements;
};
