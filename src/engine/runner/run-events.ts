import type { Clock, Message, TimerHandle } from '../../protocol/index.ts';
import type { ChaosInjector } from '../chaos/chaos-injector.ts';
import { BROKER_CHAOS_KINDS, type ChaosEvent } from '../chaos/chaos-schedule.ts';
import type { StressTarget } from './stress-target.ts';

/** What {@link scheduleRunEvents} drives: the target to crash and restart, and the messages a burst pulls forward. */
export interface RunEventsContext {
  readonly clock: Clock;
  readonly chaos: ChaosInjector;
  readonly target: StressTarget;
  /** Takes the next message of the workload now, or `undefined` when none is left. */
  readonly takeNext: () => Message | undefined;
  readonly send: (message: Message) => void;
  /** Called once a burst was sent (the runner samples the queue depth at its peak). */
  readonly afterBurst: () => void;
  readonly warn: (text: string) => void;
  /** Told when the engine crashes the target (true) and when it has restarted it (false). */
  readonly setDown: (down: boolean) => void;
  /** Registers work the final drain must wait for. */
  readonly track: (work: Promise<void>) => void;
}

/** The run-level events {@link scheduleRunEvents} set up; the runner cancels those still waiting at the end. */
export interface ScheduledRunEvents {
  /** Clears the timers of events that have not fired and returns those events (a run shorter than the plan). */
  cancel(): ChaosEvent[];
}

/**
 * Schedules the run-level chaos events on the clock: `crash_restart` crashes the target and restarts it after
 * `durationMs`; a broker kind is handed to the target's `injectFault` (counted once it is over); `saturation_burst` sends the next `count` messages of the workload at once (their intended
 * send time becomes the burst's), so quotas stay exact while the queue is flooded.
 */
export function scheduleRunEvents(context: RunEventsContext): ScheduledRunEvents {
  const { clock, chaos, target } = context;
  const now = clock.now();
  const waiting = new Map<ChaosEvent, TimerHandle>();
  const at = (event: ChaosEvent, fire: () => void): void => {
    waiting.set(
      event,
      clock.setTimer(event.atMs - now, () => {
        waiting.delete(event);
        fire();
      }),
    );
  };
  for (const event of chaos.timedEvents('crash_restart')) {
    if (!target.crash || !target.restart) {
      context.warn(`chaos crash_restart at ${event.atMs} ms skipped: the target has no crash()/restart()`);
      continue;
    }
    at(event, () => {
      context.track(
        (async () => {
          chaos.recordInjected('crash_restart');
          context.setDown(true);
          try {
            await target.crash?.();
            if ((event.durationMs ?? 0) > 0) await clock.sleep(event.durationMs ?? 0);
            await target.restart?.();
          } finally {
            context.setDown(false);
          }
        })(),
      );
    });
  }
  for (const kind of BROKER_CHAOS_KINDS) {
    for (const event of chaos.timedEvents(kind)) {
      const inject = target.injectFault?.bind(target);
      if (!inject) {
        context.warn(
          `chaos ${kind} at ${event.atMs} ms skipped: the target has no broker (no injectFault())`,
        );
        continue;
      }
      at(event, () => {
        context.track(
          (async () => {
            await inject({ ...event, kind });
            chaos.recordInjected(kind);
          })(),
        );
      });
    }
  }
  for (const event of chaos.timedEvents('saturation_burst')) {
    at(event, () => {
      const count = event.count ?? 0;
      let sent = 0;
      for (; sent < count; sent++) {
        const message = context.takeNext();
        if (message === undefined) break;
        context.send({ ...message, createdAt: Math.min(message.createdAt, clock.now()) });
      }
      context.afterBurst();
      chaos.recordInjected('saturation_burst');
      if (sent < count)
        context.warn(
          `chaos saturation_burst at ${event.atMs} ms sent ${sent} of ${count}: the workload ran out`,
        );
    });
  }
  return {
    cancel() {
      for (const timer of waiting.values()) clock.clearTimer(timer);
      const unfired = [...waiting.keys()];
      waiting.clear();
      return unfired;
    },
  };
}
