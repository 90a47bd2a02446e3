import { createHook } from 'node:async_hooks';

/** The async resources one call created, per delivery unit it reports. */
export interface AsyncCensus {
  readonly units: number;
  /** Promises created, per unit. */
  readonly promises: number;
  /** `process.nextTick` callbacks queued, per unit. */
  readonly ticks: number;
  /** Everything else (immediates, timers, requests), per unit. */
  readonly other: number;
}

/**
 * Counts the async resources `run` creates (an `async_hooks` init hook, on only for the call) and divides by
 * the delivery units it returns. Exact, unlike a timing: the same code, options and seed give the same counts, so
 * the figure compares across commits on a machine whose timings drift by tens of percent.
 */
export async function asyncCensus(run: () => Promise<number>): Promise<AsyncCensus> {
  const counts = new Map<string, number>();
  const hook = createHook({
    init(_asyncId, type) {
      counts.set(type, (counts.get(type) ?? 0) + 1);
    },
  });
  hook.enable();
  let units: number;
  try {
    units = await run();
  } finally {
    hook.disable();
  }
  const promises = counts.get('PROMISE') ?? 0;
  const ticks = counts.get('TickObject') ?? 0;
  let all = 0;
  for (const count of counts.values()) all += count;
  const per = (count: number): number => Math.round((count / units) * 100) / 100;
  return { units, promises: per(promises), ticks: per(ticks), other: per(all - promises - ticks) };
}
