import { invalidOption } from '../../protocol/index.ts';
import type { VirtualClock } from './virtual-clock.ts';

/** Resolves once every queued microtask, and every microtask those queue, has run. */
export type YieldFunction = () => Promise<void>;

interface EventLoopGlobals {
  setImmediate?: (callback: () => void) => unknown;
  process?: { nextTick?: (callback: () => void) => void };
}

/**
 * The fastest macrotask available without importing `node:*`: `globalThis.setImmediate` (Node, Bun; about
 * 1 µs), else a `MessageChannel` (browsers), else `setTimeout(0)` (clamped to about 1 ms). A macrotask is
 * needed because only the event loop guarantees the microtask queue is empty; a few `await`s do not.
 */
export const yieldToEventLoop: YieldFunction = (() => {
  const immediate = (globalThis as EventLoopGlobals).setImmediate;
  if (typeof immediate === 'function') {
    return () => new Promise<void>((resolve) => immediate(resolve));
  }
  if (typeof MessageChannel === 'function') {
    const channel = new MessageChannel();
    const waiting: Array<() => void> = [];
    // Typed loosely: Node's and the DOM's MessagePort typings disagree, and both support `onmessage`.
    (channel.port1 as unknown as { onmessage: () => void }).onmessage = () => waiting.shift()?.();
    return () =>
      new Promise<void>((resolve) => {
        waiting.push(resolve);
        channel.port2.postMessage(null);
      });
  }
  return () => new Promise<void>((resolve) => setTimeout(resolve, 0));
})();

/**
 * Lets every queued continuation run without an event-loop turn, where Node's `process.nextTick` exists (else
 * it is {@link yieldToEventLoop}). Node runs a tick only once the microtask queue is empty, so a tick queued
 * from a continuation resolves after every continuation queued with it, and every continuation those queue, has
 * run. Two rounds, so work a `process.nextTick` of the code under test starts also finishes. It does not wait for
 * macrotasks (`setImmediate`, timers of the real clock, I/O callbacks): {@link runUntil} turns the event loop for
 * those. Must be called from a continuation (after an `await`), as `runUntil` does; about 0.3 µs instead of
 * an event-loop turn's 2-5 µs.
 */
export const settleContinuations: YieldFunction = (() => {
  const settle = settleThen();
  if (settle === undefined) return yieldToEventLoop;
  return () => new Promise<void>((resolve) => settle(resolve));
})();

const RESOLVED = Promise.resolve();

/**
 * {@link settleContinuations} as a callback (no promise), or `undefined` without `process.nextTick`. The callback
 * runs as a microtask queued by the last tick, exactly where an `await` of the promise form would resume.
 */
function settleThen(): ((callback: () => void) => void) | undefined {
  const nextTick = (globalThis as EventLoopGlobals).process?.nextTick;
  if (typeof nextTick !== 'function') return undefined;
  // Captured once, so fake timers installed later (which may fake nextTick) cannot stall the driver.
  // Tick, then a microtask (so the queue drains again, with what the code's own ticks queued), then tick again.
  // The microtasks are promise reactions: Node's `queueMicrotask` builds and enters an AsyncResource per call.
  // None of these callbacks throws (`runUntil` catches in its own).
  return (callback) => {
    nextTick(() => {
      void RESOLVED.then(() => {
        nextTick(() => {
          void RESOLVED.then(callback);
        });
      });
    });
  };
}

const SETTLE_THEN = settleThen();

/** Instants {@link runUntil} advances between two event-loop turns when no `yield` is given. */
export const INSTANTS_PER_TURN = 64;

/** Options for {@link runUntil}. */
export interface RunUntilOptions {
  /** Stops with `time_limit` instead of moving the clock more than this past its reading at the start. @default Infinity */
  readonly maxVirtualMs?: number;
  /**
   * How to let pending continuations run between two advances, used for every pause when given. By default
   * continuations are settled without an event-loop turn ({@link settleContinuations}) and the event loop turns
   * ({@link yieldToEventLoop}) every {@link INSTANTS_PER_TURN} instants, on every pause while the clock is held
   * (real I/O in progress) and twice before the run is judged idle.
   */
  readonly yield?: YieldFunction;
}

/** Why {@link runUntil} returned: the goal was reached, nothing was left to run, or the time limit came first. */
export type RunUntilStatus = 'done' | 'idle' | 'time_limit';

/** What {@link runUntil} reports. */
export interface RunUntilResult {
  readonly status: RunUntilStatus;
  /** Clock reading on return. */
  readonly now: number;
  /** Number of {@link VirtualClock.advanceToNext} calls made. */
  readonly steps: number;
}

/**
 * Drives `clock` until `until` (a predicate, or a promise that settles) is reached: it alternates letting
 * continuations run and firing the next instant's timers. It returns `idle` when nothing is done, no timer is
 * pending and another yield changes nothing: a deadlock or a lost wake-up in the code under test.
 * @example
 * const result = await runUntil(clock, target.whenIdle(), { maxVirtualMs: 60_000 });
 * if (result.status !== 'done') throw new Error(`drain stalled: ${result.status}`);
 */
export function runUntil(
  clock: VirtualClock,
  until: (() => boolean) | PromiseLike<unknown>,
  options: RunUntilOptions = {},
): Promise<RunUntilResult> {
  const maxVirtualMs = options.maxVirtualMs ?? Number.POSITIVE_INFINITY;
  if (!(maxVirtualMs >= 0)) {
    return Promise.reject(invalidOption('maxVirtualMs', 'a non-negative number', maxVirtualMs));
  }
  const given = options.yield;
  const turn = given ?? yieldToEventLoop;
  let isDone: () => boolean;
  if (typeof until === 'function') {
    isDone = until;
  } else {
    let settled = false;
    const settle = (): void => {
      settled = true;
    };
    until.then(settle, settle);
    isDone = () => settled;
  }
  const limit = clock.now() + maxVirtualMs;
  let steps = 0;
  // A loop of callbacks, not of `await`s: no promise per instant on the driver's side (each one costs a
  // promise hook wherever async context is followed per promise, as beside a `test.concurrent` test).
  return new Promise<RunUntilResult>((resolve, reject) => {
    const finish = (status: RunUntilStatus): void => resolve({ status, now: clock.now(), steps });
    // The first pause is a turn: the caller may not be a continuation yet, and macrotasks get theirs at once.
    let sinceTurn = INSTANTS_PER_TURN;
    const pause = (): void => {
      if (sinceTurn >= INSTANTS_PER_TURN || clock.held) {
        sinceTurn = 0;
        turn().then(afterPause, reject);
      } else {
        sinceTurn++;
        if (given === undefined && SETTLE_THEN !== undefined) SETTLE_THEN(afterPause);
        else (given ?? settleContinuations)().then(afterPause, reject);
      }
    };
    const afterIdleTurns = (): void => {
      try {
        if (isDone()) finish('done');
        else if (clock.pendingTimers === 0) finish('idle');
        else pause();
      } catch (error) {
        reject(error);
      }
    };
    function afterPause(): void {
      try {
        const due = clock.nextDueTime();
        if (isDone()) {
          finish('done');
        } else if (clock.held) {
          // Real work (I/O) in progress: let the event loop finish it before time moves on.
          pause();
        } else if (due === undefined) {
          turn()
            .then(() => turn())
            .then(afterIdleTurns, reject);
        } else if (due > limit) {
          clock.advanceTo(limit);
          finish('time_limit');
        } else {
          clock.advanceToNext();
          steps++;
          pause();
        }
      } catch (error) {
        reject(error);
      }
    }
    pause();
  });
}
