import { BROADCAST_RECIPIENT, type Clock, type Message, StressError } from '../../protocol/index.ts';
import type { DeliveryLedger } from '../ledger/delivery-ledger.ts';
import type { MetricsCollector } from '../metrics/metrics-collector.ts';
import type { TimelineRecorder } from '../metrics/timeline-recorder.ts';
import type { WorkloadIterator } from '../workload/workload-iterator.ts';
import type { StressTarget } from './stress-target.ts';

/** What {@link WorkloadSender} needs: the messages in send order, where to send them, and what to record. */
export interface WorkloadSenderOptions {
  readonly messages: WorkloadIterator;
  readonly clock: Clock;
  readonly agents: readonly string[];
  readonly ledger: DeliveryLedger;
  readonly metrics: MetricsCollector;
  /** Where sends, refusals and depth samples are placed in time. @default undefined (no timeline) */
  readonly timeline?: TimelineRecorder;
  /** The current target (it changes on restart). */
  readonly target: () => StressTarget;
  readonly onSent: (sent: number) => void;
  /** True while the engine holds the target crashed (chaos `crash_restart`): refusals then are the chaos's. */
  readonly targetDown: () => boolean;
  /** Store write failures the chaos injected so far: once there is one, `ERR_STORE_WRITE` refusals are the chaos's. */
  readonly injectedStoreFaults: () => number;
  readonly signal?: AbortSignal;
}

/**
 * Sends a workload open-loop: each message goes out at its intended send time whether or not the target kept
 * up (no coordinated omission), and every enqueue outcome lands in the ledger.
 */
export class WorkloadSender {
  readonly #o: WorkloadSenderOptions;
  #sent = 0;
  #unsettled = 0;
  #rejectedByCode = new Map<string, number>();
  #rejectedByChaos = 0;
  readonly #waiters: Array<() => void> = [];
  // The recipient list of a direct message, reused: the ledger reads it and keeps nothing.
  readonly #one: string[] = [''];

  /** Prepares to send; nothing goes out before {@link WorkloadSender.run}. */
  constructor(options: WorkloadSenderOptions) {
    this.#o = options;
  }

  /** Messages sent so far. */
  get sent(): number {
    return this.#sent;
  }

  /** Units refused because of injected chaos: while the target was held crashed, or by an injected store fault. */
  get rejectedByChaos(): number {
    return this.#rejectedByChaos;
  }

  /** Rejected enqueues by error code (backpressure is `ERR_QUEUE_FULL`). */
  rejections(): Record<string, number> {
    return Object.fromEntries([...this.#rejectedByCode].sort(([a], [b]) => a.localeCompare(b)));
  }

  /** Sends every message at its intended time; resolves once all were sent and every enqueue settled. */
  async run(): Promise<void> {
    const { messages, clock, signal } = this.#o;
    for (let message = messages.take(); message !== undefined; message = messages.take()) {
      if (signal?.aborted) break;
      const wait = message.createdAt - clock.now();
      if (wait > 0) {
        // Depth is sampled once per instant, after that instant's sends: the peak of a burst, and the same
        // time-weighted mean as sampling every send (samples at one instant carry no weight).
        this.sampleDepth();
        await clock.sleep(wait);
      }
      this.send(message);
    }
    this.sampleDepth();
    await this.settled();
  }

  /** Sends one message now (also used for saturation bursts). */
  send(message: Message): void {
    const { ledger, agents } = this.#o;
    const target = this.#o.target();
    let recipients: readonly string[] = agents;
    if (message.recipient !== BROADCAST_RECIPIENT) {
      this.#one[0] = message.recipient;
      recipients = this.#one;
    }
    ledger.recordSent(message, recipients);
    this.#sent++;
    this.#o.timeline?.sent(this.#o.clock.now(), recipients.length);
    this.#o.onSent(this.#sent);
    let accepted: ReturnType<StressTarget['enqueue']>;
    try {
      accepted = target.enqueue(message);
    } catch (error) {
      this.#rejected(message.id, error, recipients.length);
      return;
    }
    // A target that accepts synchronously returns nothing: no promise to wait for.
    if (accepted === undefined) {
      ledger.recordAccepted(message.id);
      return;
    }
    this.#unsettled++;
    const units = recipients.length;
    Promise.resolve(accepted).then(
      () => {
        ledger.recordAccepted(message.id);
        this.#settle();
      },
      (error: unknown) => {
        this.#rejected(message.id, error, units);
        this.#settle();
      },
    );
  }

  // A refused enqueue is not lost: the producer was told. Backpressure, a closed or crashed target and a failed
  // store write all count as rejected, by code.
  #rejected(id: string, error: unknown, units: number): void {
    const code = StressError.is(error) ? error.code : 'ERR_TARGET';
    this.#rejectedByCode.set(code, (this.#rejectedByCode.get(code) ?? 0) + 1);
    if (this.#o.targetDown()) {
      this.#rejectedByChaos += units;
    } else if (code === 'ERR_STORE_WRITE' && this.#o.injectedStoreFaults() > 0) {
      // One injected fault can fail a whole group commit, so every store-write refusal after one is the chaos's.
      this.#rejectedByChaos += units;
    }
    this.#o.ledger.recordRejected(id);
    this.#o.timeline?.rejected(this.#o.clock.now(), units);
  }

  /** Samples the target's queue depth (pending + processing) now. */
  sampleDepth(): void {
    const inspection = this.#o.target().inspect();
    const now = this.#o.clock.now();
    this.#o.metrics.sampleQueueDepth(inspection.pending + inspection.processing, now);
    this.#o.timeline?.depth(inspection.pending + inspection.processing, now);
  }

  #settle(): void {
    this.#unsettled--;
    if (this.#unsettled === 0) for (const wake of this.#waiters.splice(0)) wake();
  }

  /** Resolves when every enqueue sent so far has settled. */
  settled(): Promise<void> {
    if (this.#unsettled === 0) return Promise.resolve();
    return new Promise((resolve) => {
      this.#waiters.push(resolve);
    });
  }
}
