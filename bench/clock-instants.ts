import { VirtualClock } from '../src/engine/clock/virtual-clock.ts';

/**
 * The virtual clock's own cost per instant, with nothing else to do: one worker sleeping 1 ms `instants` times
 * while `runUntil` drives (a timer set and fired, the sleep's promise and the worker's `await`, and the settle
 * of every instant). Returns `instants`, for a caller that times the call.
 */
export async function clockInstants(instants: number): Promise<number> {
  const clock = new VirtualClock();
  let slept = 0;
  const worker = async (): Promise<void> => {
    for (let i = 0; i < instants; i++) {
      await clock.sleep(1);
      slept++;
    }
  };
  void worker();
  const result = await clock.runUntil(() => slept === instants);
  if (result.status !== 'done' || result.steps !== instants) throw new Error('the clock bench lost instants');
  return instants;
}

/**
 * Clock instants per delivery unit of `run` (which returns its units): every `advanceToNext` of every
 * VirtualClock during the call, counted by wrapping the method for the call only. Exact, like the census.
 */
export async function instantsPerUnit(run: () => Promise<number>): Promise<number> {
  const advance = VirtualClock.prototype.advanceToNext;
  let instants = 0;
  VirtualClock.prototype.advanceToNext = function (this: VirtualClock): boolean {
    instants++;
    return advance.call(this);
  };
  let units: number;
  try {
    units = await run();
  } finally {
    VirtualClock.prototype.advanceToNext = advance;
  }
  return Math.round((instants / units) * 100) / 100;
}
