import type { Clock, TimerHandle } from '../../protocol/index.ts';
import { invalidOption } from '../../protocol/index.ts';
import { type RunUntilOptions, type RunUntilResult, runUntil } from './run-until.ts';
import { sleepOnClock } from './sleep-on-clock.ts';
import { type HeapTimer, TimerHeap } from './timer-heap.ts';

// The timer is its own heap node and its own handle: one allocation per timer, no closure of ours.
class VirtualTimer implements TimerHandle, HeapTimer {
  readonly id: number;
  readonly due: number;
  callback: (() => void) | undefined;
  /** Position in the heap, or -1 once fired or cleared. */
  index = -1;

  constructor(id: number, due: number, callback: () => void) {
    this.id = id;
    this.due = due;
    this.callback = callback;
  }
}

/** Options of {@link VirtualClock}. */
export interface VirtualClockOptions {
  /** The reading at creation. @default 0 */
  readonly startMs?: number;
  /**
   * Rounds every due time up to a multiple of this many ms (0 keeps exact times). A driver pays one event-loop
   * turn (about 1 µs) per distinct due time, so with random float latencies every delivery is its own turn;
   * a resolution such as 0.125 ms (exact in binary) batches them and lifts throughput several times over.
   * @default 0
   */
  readonly resolutionMs?: number;
}

/**
 * A deterministic discrete-event {@link Clock}: time moves only when the driver advances it, timers fire in
 * (due time, creation order), and insert/fire/clear are O(log n) on a binary heap.
 * Fired callbacks only resolve promises; their continuations run as microtasks, so a driver alternates
 * `await yield()` with {@link VirtualClock.advanceToNext} (see `runUntil`).
 */
export class VirtualClock implements Clock {
  #now: number;
  readonly #resolution: number;
  #nextId = 1;
  readonly #heap = new TimerHeap<VirtualTimer>();
  #holds = 0;

  /** Creates a clock reading `options.startMs`. */
  constructor(options: VirtualClockOptions = {}) {
    const { startMs = 0, resolutionMs = 0 } = options;
    if (!Number.isFinite(startMs)) throw invalidOption('startMs', 'a finite number', startMs);
    if (!(resolutionMs >= 0 && resolutionMs <= 1000)) {
      throw invalidOption('resolutionMs', 'a number of milliseconds from 0 to 1000', resolutionMs);
    }
    this.#now = startMs;
    this.#resolution = resolutionMs;
  }

  /** Due times are rounded up to a multiple of this (0: exact). */
  get resolutionMs(): number {
    return this.#resolution;
  }

  /** Virtual milliseconds. */
  now(): number {
    return this.#now;
  }

  /**
   * Marks real work in progress (file I/O of a durable target): while any hold is open the driver does not
   * move time, so the work finishes at the same virtual instant on every run. Call the returned function once.
   */
  hold(): () => void {
    this.#holds++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.#holds--;
    };
  }

  /** True while real work holds the clock still. */
  get held(): boolean {
    return this.#holds > 0;
  }

  /** Number of timers set and neither fired nor cleared. */
  get pendingTimers(): number {
    return this.#heap.size;
  }

  /** Due time of the next timer, or `undefined` when none is pending. */
  nextDueTime(): number | undefined {
    return this.#heap.peek()?.due;
  }

  /** Schedules `callback` at now + `delayMs` (negative counts as 0; rounded up to the resolution). */
  setTimer(delayMs: number, callback: () => void): TimerHandle {
    if (!(delayMs < Number.POSITIVE_INFINITY)) throw invalidOption('delayMs', 'a finite number', delayMs);
    let due = delayMs > 0 ? this.#now + delayMs : this.#now;
    const resolution = this.#resolution;
    // Never earlier than asked, and never before now even if now itself is off the grid.
    if (resolution > 0 && delayMs > 0) due = Math.max(Math.ceil(due / resolution) * resolution, this.#now);
    const timer = new VirtualTimer(this.#nextId++, due, callback);
    this.#heap.push(timer);
    return timer;
  }

  /** Cancels a pending timer in O(log n); harmless if it fired, was cleared or belongs to another clock. */
  clearTimer(handle: TimerHandle): void {
    if (!(handle instanceof VirtualTimer) || !this.#heap.has(handle)) return;
    this.#heap.remove(handle);
    handle.callback = undefined;
  }

  /** Resolves once the clock passes now + `delayMs`; rejects with the signal's reason if it aborts first. */
  sleep(delayMs: number, signal?: AbortSignal): Promise<void> {
    return sleepOnClock(this, delayMs, signal);
  }

  /**
   * Moves time to the next due time and fires, in order and synchronously, every timer that was due then
   * when the call began; a timer set by a callback for that same instant waits for the next call (so a
   * callback that re-arms itself at delay 0 cannot spin forever). Returns false when no timer is pending.
   */
  advanceToNext(): boolean {
    const heap = this.#heap;
    const first = heap.peek();
    if (first === undefined) return false;
    const due = first.due;
    this.#now = due;
    const boundary = this.#nextId;
    for (
      let top = heap.peek();
      top !== undefined && top.due === due && top.id < boundary;
      top = heap.peek()
    ) {
      this.#fire(top);
    }
    return true;
  }

  /** Fires every timer due up to `timeMs` in order (time stepping to each), then sets now to `timeMs`. */
  advanceTo(timeMs: number): void {
    if (!(timeMs >= this.#now && timeMs < Number.POSITIVE_INFINITY)) {
      throw invalidOption('timeMs', `a finite time not before now (${this.#now})`, timeMs);
    }
    const heap = this.#heap;
    for (let top = heap.peek(); top !== undefined && top.due <= timeMs; top = heap.peek()) {
      this.#now = top.due;
      this.#fire(top);
    }
    this.#now = timeMs;
  }

  /** {@link VirtualClock.advanceTo} now + `ms`. */
  advanceBy(ms: number): void {
    if (!(ms >= 0)) throw invalidOption('ms', 'a non-negative number', ms);
    this.advanceTo(this.#now + ms);
  }

  /** Drives this clock until `until` is reached, the run goes idle or the time limit passes (see `runUntil`). */
  runUntil(
    until: (() => boolean) | PromiseLike<unknown>,
    options?: RunUntilOptions,
  ): Promise<RunUntilResult> {
    return runUntil(this, until, options);
  }

  #fire(timer: VirtualTimer): void {
    this.#heap.remove(timer);
    const callback = timer.callback as () => void;
    timer.callback = undefined;
    callback();
  }
}
