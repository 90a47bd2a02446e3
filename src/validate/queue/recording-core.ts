import type { Clock, DeliveryAttempt, Message, MessagingCore } from '../../protocol/index.ts';

/** One call the {@link RecordingCore} received. */
export interface RecordedCall {
  /** Position among all calls, from 0. */
  readonly order: number;
  readonly messageId: string;
  readonly recipient: string;
  readonly priority: Message['priority'];
  readonly attempt: number;
  /** Clock time of the call. */
  readonly at: number;
  /** What the core answered; every call delivers, so `false` means delivered but reported failed. */
  readonly answer: boolean;
}

/** Options of {@link RecordingCore}. */
export interface RecordingCoreOptions {
  readonly clock: Clock;
  /** Latency of every call on `clock`, in ms. @default 1 */
  readonly latencyMs?: number;
  /**
   * Decides, per call, that the core delivers but answers `false` (the processor then retries: a legitimate
   * at-least-once duplicate). @default never
   */
  readonly deliverButReportFailure?: (call: {
    readonly messageId: string;
    readonly attempt: number;
  }) => boolean;
}

/** A mock core for the queue checks: waits a fixed latency on the clock and records every call in order. */
export class RecordingCore implements MessagingCore {
  readonly calls: RecordedCall[] = [];
  readonly #clock: Clock;
  readonly #latencyMs: number;
  readonly #reportFailure: RecordingCoreOptions['deliverButReportFailure'];

  /** Creates a core with no calls recorded. */
  constructor(options: RecordingCoreOptions) {
    this.#clock = options.clock;
    this.#latencyMs = options.latencyMs ?? 1;
    this.#reportFailure = options.deliverButReportFailure;
  }

  /** Records the call, waits the latency, then answers. */
  async deliver(message: Message, recipient: string, attempt: DeliveryAttempt): Promise<boolean> {
    const answer = !(this.#reportFailure?.({ messageId: message.id, attempt: attempt.attempt }) ?? false);
    this.calls.push({
      order: this.calls.length,
      messageId: message.id,
      recipient,
      priority: message.priority,
      attempt: attempt.attempt,
      at: this.#clock.now(),
      answer,
    });
    if (this.#latencyMs > 0) await this.#clock.sleep(this.#latencyMs, attempt.signal);
    return answer;
  }

  /** The first call of each message, in call order. */
  firstCalls(): RecordedCall[] {
    const seen = new Set<string>();
    return this.calls.filter((call) => {
      if (seen.has(call.messageId)) return false;
      seen.add(call.messageId);
      return true;
    });
  }
}
