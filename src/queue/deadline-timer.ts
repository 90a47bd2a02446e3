import type { Clock, TimerHandle } from '../protocol/index.ts';

/**
 * One clock timer serving many deadlines: `armBy(at)` makes sure it fires no later than `at`, re-arming only
 * when `at` is earlier than the armed time, so a stream of later deadlines (leases) costs no timer calls.
 */
export class DeadlineTimer {
  readonly #clock: Clock;
  readonly #onFire: () => void;
  #handle: TimerHandle | undefined;
  #at = Number.POSITIVE_INFINITY;
  #stopped = false;

  /** Creates a disarmed timer calling `onFire` when it fires; `onFire` arms it again for what is left. */
  constructor(clock: Clock, onFire: () => void) {
    this.#clock = clock;
    this.#onFire = onFire;
  }

  /** Makes sure the timer fires no later than `at`; `Infinity` asks for nothing. */
  armBy(at: number): void {
    if (this.#stopped || at === Number.POSITIVE_INFINITY || (this.#handle !== undefined && this.#at <= at))
      return;
    if (this.#handle !== undefined) this.#clock.clearTimer(this.#handle);
    this.#at = at;
    this.#handle = this.#clock.setTimer(at - this.#clock.now(), () => {
      this.#handle = undefined;
      this.#at = Number.POSITIVE_INFINITY;
      this.#onFire();
    });
  }

  /** Clears the timer for good. */
  stop(): void {
    this.#stopped = true;
    if (this.#handle !== undefined) this.#clock.clearTimer(this.#handle);
    this.#handle = undefined;
  }
}
