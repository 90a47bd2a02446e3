import type { Clock, TimerHandle } from '../../src/protocol/index.ts';

interface Timer {
  readonly id: number;
  readonly dueAt: number;
  readonly callback: () => void;
}

/** Lets every pending promise continuation run (one macrotask turn drains the whole microtask queue). */
export function flushMicrotasks(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * A test clock that only moves when told: `advance(ms)` fires due timers in due order, then insertion order,
 * letting promise continuations run after each one so that timers they set are honoured at the right time.
 */
export class ManualClock implements Clock {
  #now: number;
  #nextId = 1;
  readonly #timers = new Map<number, Timer>();

  constructor(start = 0) {
    this.#now = start;
  }

  /** Timers not yet fired or cleared. */
  get pendingTimers(): number {
    return this.#timers.size;
  }

  now(): number {
    return this.#now;
  }

  setTimer(delayMs: number, callback: () => void): TimerHandle {
    const id = this.#nextId++;
    this.#timers.set(id, { id, dueAt: this.#now + Math.max(0, delayMs), callback });
    return { id };
  }

  clearTimer(handle: TimerHandle): void {
    this.#timers.delete(handle.id);
  }

  sleep(delayMs: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) {
        reject(signal.reason);
        return;
      }
      const handle = this.setTimer(delayMs, () => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      });
      const onAbort = (): void => {
        this.clearTimer(handle);
        reject(signal?.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** Moves time forward by `ms`, firing every timer that falls due on the way. */
  async advance(ms: number): Promise<void> {
    await this.advanceTo(this.#now + ms);
  }

  /** Moves time forward to `target`, firing every timer that falls due on the way. */
  async advanceTo(target: number): Promise<void> {
    await flushMicrotasks();
    for (let next = this.#nextDue(target); next !== undefined; next = this.#nextDue(target)) {
      this.#timers.delete(next.id);
      this.#now = Math.max(this.#now, next.dueAt);
      next.callback();
      await flushMicrotasks();
    }
    this.#now = Math.max(this.#now, target);
    await flushMicrotasks();
  }

  #nextDue(target: number): Timer | undefined {
    let best: Timer | undefined;
    for (const timer of this.#timers.values()) {
      if (timer.dueAt > target) continue;
      // Map iteration follows insertion order, so `<` keeps the earliest-inserted of equal due times.
      if (best === undefined || timer.dueAt < best.dueAt) best = timer;
    }
    return best;
  }
}
