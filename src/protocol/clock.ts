/** An opaque handle returned by {@link Clock.setTimer}. */
export interface TimerHandle {
  readonly id: number;
}

/**
 * The port for time: the queue, the processor and the engine read time and wait only through it, so a
 * virtual clock can run hours of simulated backoff in milliseconds and a real clock can run against the wall.
 */
export interface Clock {
  /** Milliseconds since the clock's epoch. */
  now(): number;
  /** Calls `callback` once, `delayMs` from now (a negative delay counts as 0). */
  setTimer(delayMs: number, callback: () => void): TimerHandle;
  /** Cancels a timer; harmless if it already fired or was cleared. */
  clearTimer(handle: TimerHandle): void;
  /** Resolves after `delayMs`; rejects with the signal's reason when `signal` aborts first. */
  sleep(delayMs: number, signal?: AbortSignal): Promise<void>;
}
