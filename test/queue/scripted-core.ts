import type { Clock, DeliveryAttempt, Message, MessagingCore } from '../../src/protocol/index.ts';

/** One call the scripted core received, with the clock time it was made. */
export interface CoreCall {
  readonly messageId: string;
  readonly recipient: string;
  readonly attempt: number;
  readonly at: number;
  readonly signal: AbortSignal | undefined;
}

/** What the script answers for a call: a boolean, a thrown error, or `'hang'` (a promise that never settles). */
export type CoreAnswer = boolean | Error | 'hang' | Promise<boolean>;

/** A messaging core for processor tests: answers from a script and records every call. */
export class ScriptedCore implements MessagingCore {
  readonly calls: CoreCall[] = [];
  readonly #clock: Clock;
  readonly #script: (call: CoreCall) => CoreAnswer;

  constructor(clock: Clock, script: (call: CoreCall) => CoreAnswer = () => true) {
    this.#clock = clock;
    this.#script = script;
  }

  deliver(message: Message, recipient: string, attempt: DeliveryAttempt): Promise<boolean> {
    const call = {
      messageId: message.id,
      recipient,
      attempt: attempt.attempt,
      at: this.#clock.now(),
      signal: attempt.signal,
    };
    this.calls.push(call);
    const answer = this.#script(call);
    if (answer === 'hang') return new Promise<boolean>(() => undefined);
    if (answer instanceof Error) return Promise.reject(answer);
    return Promise.resolve(answer);
  }

  /** The calls for one message, as `recipient@attempt` strings. */
  callsFor(messageId: string): string[] {
    return this.calls
      .filter((call) => call.messageId === messageId)
      .map((c) => `${c.recipient}@${c.attempt}`);
  }
}
