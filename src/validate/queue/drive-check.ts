import { runUntil, type VirtualClock } from '../../engine/index.ts';

/** How a driven check body ended. */
export type DrivenResult<T> =
  | { readonly status: 'done'; readonly value: T }
  | { readonly status: 'threw'; readonly error: unknown }
  | { readonly status: 'stalled' | 'time_limit'; readonly now: number };

/**
 * Runs `body` while driving `clock`, so a queue that waits on timers (backoff, latency) makes progress and a
 * queue that stops answering ends the check as `stalled` (nothing left to run) or `time_limit` instead of
 * hanging the validator.
 */
export async function driveCheck<T>(
  clock: VirtualClock,
  body: () => Promise<T>,
  maxVirtualMs: number,
): Promise<DrivenResult<T>> {
  let outcome: { ok: true; value: T } | { ok: false; error: unknown } | undefined;
  const running = body().then(
    (value) => {
      outcome = { ok: true, value };
    },
    (error: unknown) => {
      outcome = { ok: false, error };
    },
  );
  const result = await runUntil(clock, running, { maxVirtualMs });
  if (outcome === undefined) {
    return { status: result.status === 'time_limit' ? 'time_limit' : 'stalled', now: result.now };
  }
  return outcome.ok ? { status: 'done', value: outcome.value } : { status: 'threw', error: outcome.error };
}

/** One sentence for a body that did not finish. */
export function describeUnfinished(result: DrivenResult<unknown>, what: string): string {
  if (result.status === 'threw') {
    const error = result.error;
    return `${what} threw: ${error instanceof Error ? error.message : String(error)}`;
  }
  if (result.status === 'stalled')
    return `${what} stalled: the queue stopped answering with nothing left to run.`;
  if (result.status === 'time_limit') {
    return `${what} did not finish within ${Math.round(result.now / 1000)} s of simulated time.`;
  }
  return `${what} finished.`;
}

/** The ids in `ids` that are not in `present`, at most `max` of them for an example list. */
export function missing(ids: Iterable<string>, present: ReadonlySet<string>, max = 5): string[] {
  const out: string[] = [];
  for (const id of ids) {
    if (!present.has(id)) out.push(id);
    if (out.length >= max) break;
  }
  return out;
}
