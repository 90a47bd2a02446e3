import type { Redis } from 'ioredis';
import type { BrokerChaosKind, ChaosEvent } from '../engine/index.ts';
import { StressError } from '../protocol/index.ts';
import type { EmbeddedRedis } from './embedded-redis.ts';
import type { WorkerPool } from './worker-pool.ts';

/** A slow broker answers in pulses: paused this long out of every {@link SLOW_PERIOD_MS}. */
export const SLOW_PAUSE_MS = 20;
/** The period of a slow broker's pauses. */
export const SLOW_PERIOD_MS = 40;

/** A worker crash waits at most this long for its worker to pick up a job or deliver, so that it dies mid-job. */
export const MID_JOB_WAIT_MS = 1_000;

/** What {@link injectBrokerFault} acts on. */
export interface BrokerFaultContext {
  /** A connection of the run's own, which `CLIENT KILL ... SKIPME yes` spares. */
  readonly admin: Redis;
  /** The server the run started, or undefined for a server it was given (which it may not kill). */
  readonly embedded: EmbeddedRedis | undefined;
  readonly workers: WorkerPool;
  readonly sleep: (ms: number) => Promise<void>;
}

/**
 * Executes one broker fault and resolves once it is over: `broker_restart` SIGKILLs the embedded server and
 * restarts it on its data after `durationMs`; `broker_pause` is `CLIENT PAUSE durationMs ALL`;
 * `connection_drop` is `CLIENT KILL TYPE normal SKIPME yes` (every client connection but the run's own);
 * `worker_crash` kills a worker mid-job, as it next picks up a job or hands a unit to the core (waiting up to
 * {@link MID_JOB_WAIT_MS} for that), so the crash strands an undelivered unit; it starts
 * another after `durationMs`; `broker_slow` pauses the broker
 * 20 ms out of every 40 ms for `durationMs`.
 */
export async function injectBrokerFault(
  context: BrokerFaultContext,
  event: ChaosEvent & { readonly kind: BrokerChaosKind },
): Promise<void> {
  const durationMs = Math.round(event.durationMs ?? 0);
  switch (event.kind) {
    case 'broker_restart': {
      const server = context.embedded;
      if (server === undefined) {
        throw new StressError(
          'ERR_BROKER',
          'Expected an embedded broker for broker_restart, got a server the run was given (REDIS_URL or `redis.url`): the run cannot kill it. Leave the URL unset to let the run start its own.',
        );
      }
      await server.kill();
      if (durationMs > 0) await context.sleep(durationMs);
      await server.restart();
      return;
    }
    case 'broker_pause':
      await context.admin.call('CLIENT', 'PAUSE', String(Math.max(1, durationMs)), 'ALL');
      await context.sleep(durationMs);
      return;
    case 'connection_drop':
      await context.admin.call('CLIENT', 'KILL', 'TYPE', 'normal', 'SKIPME', 'yes');
      return;
    case 'worker_crash':
      await context.workers.crashNext(durationMs, MID_JOB_WAIT_MS, context.sleep);
      return;
    case 'broker_slow':
      for (let elapsed = 0; elapsed < durationMs; elapsed += SLOW_PERIOD_MS) {
        await context.admin.call('CLIENT', 'PAUSE', String(SLOW_PAUSE_MS), 'ALL');
        await context.sleep(SLOW_PERIOD_MS);
      }
      return;
  }
}
