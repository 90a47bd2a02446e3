import { queueClosedError } from './queue-closed-error.ts';

/**
 * The two kinds of waiting a {@link MessageQueue} offers: for work to become available (resolves `true`, or
 * `false` when the wait is cancelled) and for the queue to become idle (resolves, or rejects when it closes).
 */
export class QueueWaiters {
  readonly #work = new Set<(available: boolean) => void>();
  // The waiters of each signal, behind one abort listener per signal (a processor waits with the same signal
  // for its whole run): no listener added and removed per wait.
  readonly #bySignal = new WeakMap<AbortSignal, Set<(available: boolean) => void>>();
  #idle: { resolve(): void; reject(error: unknown): void }[] = [];

  /** True when somebody waits for work, so the queue can skip waking nobody on its hot path. */
  get wantsWork(): boolean {
    return this.#work.size > 0;
  }

  /** True when somebody waits for the queue to become idle. */
  get wantsIdle(): boolean {
    return this.#idle.length > 0;
  }

  /** Waits until {@link QueueWaiters.wakeWork}, or resolves `false` when `signal` aborts. */
  waitForWork(signal: AbortSignal | undefined): Promise<boolean> {
    if (signal?.aborted) return Promise.resolve(false);
    return new Promise<boolean>((resolve) => {
      const waiters = signal === undefined ? undefined : this.#waitersOf(signal);
      const settle = (available: boolean): void => {
        waiters?.delete(settle);
        this.#work.delete(settle);
        resolve(available);
      };
      waiters?.add(settle);
      this.#work.add(settle);
    });
  }

  #waitersOf(signal: AbortSignal): Set<(available: boolean) => void> {
    let waiters = this.#bySignal.get(signal);
    if (waiters === undefined) {
      const registered = new Set<(available: boolean) => void>();
      waiters = registered;
      this.#bySignal.set(signal, registered);
      signal.addEventListener(
        'abort',
        () => {
          for (const settle of [...registered]) settle(false);
        },
        { once: true },
      );
    }
    return waiters;
  }

  /** Waits until {@link QueueWaiters.wakeIdle}. */
  waitForIdle(): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.#idle.push({ resolve, reject });
    });
  }

  /** Resolves every work waiter with `available`. */
  wakeWork(available = true): void {
    for (const settle of [...this.#work]) settle(available);
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
