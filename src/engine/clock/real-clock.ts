import type { Clock, TimerHandle } from '../../protocol/index.ts';
import { sleepOnClock } from './sleep-on-clock.ts';

class RealTimer implements TimerHandle {
  readonly id: number;
  readonly timeout: ReturnType<typeof setTimeout>;

  constructor(id: number, timeout: ReturnType<typeof setTimeout>) {
    this.id = id;
    this.timeout = timeout;
  }
}

/** Minimal view of `performance` so the engine needs no DOM or `node:perf_hooks` types. */
interface MonotonicTime {
  now(): number;
}

/**
 * A wall-clock {@link Clock} over `performance.now()` and `setTimeout`, for runs measured in real time; its
 * epoch is the moment it was created, so `now()` starts near 0 like a {@link VirtualClock}'s.
 */
export class RealClock implements Clock {
  readonly #time: MonotonicTime;
  readonly #origin: number;
  #nextId = 1;

  /** Creates a clock reading 0 now; `time` replaces `globalThis.performance` (tests). @default performance */
  constructor(time: MonotonicTime = performance) {
    this.#time = time;
    this.#origin = time.now();
  }

  /** Wall milliseconds since the clock was created (monotonic, sub-millisecond). */
  now(): number {
    return this.#time.now() - this.#origin;
  }

  /** Calls `callback` after `delayMs` of wall time (negative counts as 0). */
  setTimer(delayMs: number, callback: () => void): TimerHandle {
    return new RealTimer(this.#nextId++, setTimeout(callback, Math.max(delayMs, 0)));
  }

  /** Cancels a timer; harmless if it fired, was cleared or came from another clock. */
  clearTimer(handle: TimerHandle): void {
    if (handle instanceof RealTimer) clearTimeout(handle.timeout);
  }

  /** Resolves after `delayMs` of wall time; rejects with the signal's reason if it aborts first. */
  sleep(delayMs: number, signal?: AbortSignal): Promise<void> {
    return sleepOnClock(this, delayMs, signal);
  }
}
