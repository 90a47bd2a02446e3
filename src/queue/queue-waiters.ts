import { queueClosedError } from './queue-closed-error.ts';

/**
 * The two kinds of waiting a {@link MessageQueue} offers: for work to become available (resolves `true`, or
 * `false` when the wait is cancelled) and for the queue to become idle (resolves, or rejects when it closes).
 */
class WorkWaiter {
  readonly signal: AbortSignal | undefined;
  readonly #resolve: (available: boolean) => void;
  readonly #waiting: Set<WorkWaiter>;

  constructor(
    signal: AbortSignal | undefined,
    resolve: (available: boolean) => void,
    waiting: Set<WorkWaiter>,
  ) {
    this.signal = signal;
    this.#resolve = resolve;
    this.#waiting = waiting;
    waiting.add(this);
  }

  settle(available: boolean): void {
    this.#waiting.delete(this);
    this.#resolve(available);
  }
}

export class QueueWaiters {
  readonly #work = new Set<WorkWaiter>();
  // Signals already listened to: one abort listener per signal (a processor waits with the same signal for its
  // whole run), not one added and removed per wait.
  readonly #listening = new WeakSet<AbortSignal>();
  #idle: { resolve(): void; reject(error: unknown): void }[] = [];

  /** True when somebody waits for work, so the queue can skip waking nobody on its hot path. */
  get wantsWork(): boolean {
    return this.#work.size > 0;
  }

  /** True when somebody waits for the queue to become idle. */
  get wantsIdle(): boolean {
    return this.#idle.length > 0;
  }

  /** Waits until {@link QueueWaiters.wakeWork}, or resolves `false` when `signal` aborts (at once if it has). */
  waitForWork(signal: AbortSignal | undefined): Promise<boolean> {
    if (signal !== undefined) {
      if (signal.aborted) return Promise.resolve(false);
      if (!this.#listening.has(signal)) {
        this.#listening.add(signal);
        signal.addEventListener('abort', () => this.#cancel(signal), { once: true });
      }
    }
    // A class, not an object literal with a closure: one allocation less per wait.
    return new Promise<boolean>((resolve) => new WorkWaiter(signal, resolve, this.#work));
  }

  /** Waits until {@link QueueWaiters.wakeIdle}. */
  waitForIdle(): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.#idle.push({ resolve, reject });
    });
  }

  /** Resolves every work waiter with `available` (each leaves the set as it settles; no copy is needed). */
  wakeWork(available = true): void {
    for (const waiter of this.#work) waiter.settle(available);
  }

  #cancel(signal: AbortSignal): void {
    for (const waiter of this.#work) if (waiter.signal === signal) waiter.settle(false);
  }

  /** Resolves every idle waiter. */
  wakeIdle(): void {
    const idle = this.#idle;
    this.#idle = [];
    for (const waiter of idle) waiter.resolve();
  }

  /** Ends every wait: work waiters get `false`, idle waiters reject with `ERR_QUEUE_CLOSED`. */
  close(): void {
    this.wakeWork(false);
    const idle = this.#idle;
    this.#idle = [];
    for (const waiter of idle) waiter.reject(queueClosedError('whenIdle'));
  }
}
