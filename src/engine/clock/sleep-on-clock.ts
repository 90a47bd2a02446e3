import type { Clock } from '../../protocol/index.ts';

/**
 * `Clock.sleep` in terms of a clock's own timers: resolves when the timer fires, rejects with the signal's
 * reason (and cancels the timer) if the signal aborts first. Both engine clocks implement `sleep` with it.
 */
export function sleepOnClock(
  clock: Pick<Clock, 'setTimer' | 'clearTimer'>,
  delayMs: number,
  signal?: AbortSignal,
): Promise<void> {
  if (signal === undefined) return new Promise((resolve) => clock.setTimer(delayMs, resolve));
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise((resolve, reject) => {
    const onAbort = (): void => {
      clock.clearTimer(timer);
      reject(signal.reason);
    };
    const timer = clock.setTimer(delayMs, () => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    });
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
