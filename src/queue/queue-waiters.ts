import { queueClosedError } from './queue-closed-error.ts';

/**
 * The two kinds of waiting a {@link MessageQueue} offers: for work to become available (resolves `true`, or
 * `false` when the wait is cancelled) and for the queue to become idle (resolves, or rejects when it closes).
 */
export class QueueWaiters {
  readonly #work = new Set<(available: boolean) => void>();
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
    return new Promise<boolean>((resolve) => {
      const onAbort = (): void => settle(false);
      const settle = (available: boolean): void => {
        signal?.removeEventListener('abort', onAbort);
        this.#work.delete(settle);
        resolve(available);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#work.add(settle);
    });
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
