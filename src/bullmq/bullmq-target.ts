import { type JobsOptions, Queue, type RedisOptions } from 'bullmq';
import { Redis } from 'ioredis';
import type {
  StressTarget,
  StressTargetContext,
  StressTargetFactory,
  TargetInspection,
} from '../engine/index.ts';
import { allowLoopbackPort, isLoopbackHost } from '../isolation/index.ts';
import { isBroadcast, type JsonObject, type Message } from '../protocol/index.ts';
import { injectBrokerFault } from './broker-faults.ts';
import {
  type BullmqTargetOptions,
  type ResolvedBullmqTargetOptions,
  resolveBullmqTargetOptions,
} from './bullmq-target-options.ts';
import { bullmqTiming } from './bullmq-timing.ts';
import { EmbeddedRedis } from './embedded-redis.ts';
import { type MessageQueue, readQueueHoldings, unitsOf } from './queue-inspection.ts';
import { WorkerPool } from './worker-pool.ts';

/** How often the queue's holdings are read from Redis while the run waits for it to drain, in ms. */
const POLL_MS = 50;
/** How often inspect()'s figures are refreshed in the background, in ms. */
const REFRESH_MS = 250;

/** Reconnect fast: a broker restart in a stress run takes tens of milliseconds, not BullMQ's default second. */
const retryStrategy = (times: number): number => Math.min(25 * times, 500);

function connectionFor(url: string | undefined, embedded: EmbeddedRedis | undefined): RedisOptions {
  const base: RedisOptions = { maxRetriesPerRequest: null, retryStrategy };
  if (embedded !== undefined) return { ...base, host: embedded.host, port: embedded.port };
  const parsed = new URL(url as string);
  const db = Number(parsed.pathname.slice(1) || 0);
  return {
    ...base,
    host: parsed.hostname.replace(/^\[|\]$/g, ''),
    port: Number(parsed.port || 6379),
    ...(parsed.username ? { username: decodeURIComponent(parsed.username) } : {}),
    ...(parsed.password ? { password: decodeURIComponent(parsed.password) } : {}),
    ...(Number.isInteger(db) && db > 0 ? { db } : {}),
    ...(parsed.protocol === 'rediss:' ? { tls: {} } : {}),
  };
}

function defaultJobOptions(r: ResolvedBullmqTargetOptions, message: Message): JobsOptions {
  const priority = r.priorities[message.priority];
  // BullMQ refuses ':' in custom ids; message ids have none unless a run id does.
  return { jobId: message.id.replaceAll(':', '_'), ...(priority > 0 ? { priority } : {}) };
}

/**
 * A target around the user's own BullMQ processor on a real Redis: their queue and worker options, priorities
 * mapped from the message model, broadcasts fanned out by their processor. With no server configured it starts
 * its own `redis-server` (see {@link EmbeddedRedis}); `REDIS_URL` or `redis.url` points at an existing one.
 * Dead letters are the jobs Redis holds as failed (past their attempts), reported to the ledger; `inspect()`
 * reads Redis's job counts. Broker chaos (`broker_restart`, `broker_pause`, `connection_drop`, `worker_crash`,
 * `broker_slow`) runs through `injectFault`. Runs use the real clock; the drain timeout follows from the worker
 * settings ({@link bullmqTiming}).
 * @example
 * export const createTarget = createBullmqTarget({
 *   processor: ({ messagingCore }) => async (job) => { if (!(await messagingCore.deliver(job.data, job.data.recipient, { attempt: job.attemptsMade + 1 }))) throw new Error('failed'); },
 *   queue: { defaultJobOptions: { attempts: 5, backoff: { type: 'fixed', delay: 50 } } },
 *   worker: { concurrency: 8, lockDuration: 1000, stalledInterval: 500 },
 * });
 */
export function createBullmqTarget(options: BullmqTargetOptions): StressTargetFactory {
  resolveBullmqTargetOptions(options);
  const factory = async (context: StressTargetContext): Promise<StressTarget> => {
    const r = resolveBullmqTargetOptions(options, context.options as JsonObject);
    const embedded =
      r.redisUrl === undefined
        ? await EmbeddedRedis.start({ persistence: r.persistence, binary: r.binary })
        : undefined;
    const connection = connectionFor(r.redisUrl, embedded);
    const host = connection.host as string;
    const port = connection.port as number;
    const given = embedded === undefined;
    const withdraw = given
      ? allowLoopbackPort(host, port, `Redis at ${host}:${port}, given by REDIS_URL or redis.url`)
      : () => {};
    if (embedded !== undefined) {
      context.events.note(
        `broker: embedded redis-server (pid ${embedded.pid}) on ${embedded.url}, persistence ${embedded.persistence}, data in ${embedded.directory} (removed afterwards)`,
      );
    } else {
      context.events.note(`broker: Redis at ${host}:${port} (given; not restarted by chaos)`);
    }
    context.events.note(
      isLoopbackHost(host)
        ? `isolation allowance: loopback connections to ${host}:${port}${given ? '' : ' and the redis-server process the run started'}; everything else stays forbidden`
        : `isolation: ${host}:${port} is not loopback, so the guard refuses connections to it`,
    );
    const timing = bullmqTiming(r);
    context.events.note(
      `timing: lock ${timing.lockDurationMs} ms + stalled check every ${timing.stalledIntervalMs} ms, ${timing.attempts} attempt(s), backoff up to ${timing.backoffTotalMs} ms in all`,
    );
    const queueName = r.queueName ?? `vitest-stress-${Date.now().toString(36)}-${process.pid}`;
    const queue: MessageQueue = new Queue(queueName, { ...r.queue, connection });
    queue.on('error', () => undefined);
    const admin = new Redis({ ...(connection as object), connectionName: 'vitest-stress-admin' });
    admin.on('error', () => undefined);
    const workers = new WorkerPool({
      queueName,
      size: r.workers,
      processor: r.processor,
      worker: r.worker,
      connection,
      messagingCore: context.messagingCore,
      agents: context.agents,
      events: context.events,
    });
    // The run's sends and faults start when the factory returns: by then the queue and workers are connected,
    // so an add the run makes is acknowledged by Redis at once rather than buffered by ioredis.
    await Promise.all([queue.waitUntilReady(), workers.ready()]);
    const sleep = (ms: number): Promise<void> => context.clock.sleep(ms);
    const agents = context.agents.length;
    let holdings: TargetInspection = { pending: 0, processing: 0 };
    const refresh = async (): Promise<number> => {
      const now = await readQueueHoldings(queue, agents, broadcasts);
      holdings = { pending: now.pending, processing: now.processing };
      return now.jobs;
    };
    // Keeps inspect() (read synchronously, for queue-depth samples) close to what Redis holds.
    const refresher = setInterval(() => void refresh().catch(() => undefined), REFRESH_MS);
    refresher.unref();
    const reported = new Set<string>();
    /** Ids of the jobs carrying a broadcast: inspect() counts a unit per agent for each. */
    const broadcasts = new Set<string>();

    const reportDeadLetters = async (): Promise<void> => {
      for (const job of await queue.getFailed(0, -1)) {
        if (job?.data === undefined || reported.has(job.id as string)) continue;
        reported.add(job.id as string);
        const message = job.data;
        const recipients = unitsOf(message, agents) === 1 ? [message.recipient] : context.agents;
        context.events.deadLettered(message, recipients, job.failedReason ?? 'failed');
      }
    };

    return {
      enqueue: async (message) => {
        const jobOptions = defaultJobOptions(r, message);
        const job = r.addJob
          ? await r.addJob(queue, message, jobOptions)
          : await queue.add(message.type, message, jobOptions);
        if (isBroadcast(message)) {
          // A user's producer may choose its own id: the job it returns says which.
          const id = (job as { id?: unknown } | undefined)?.id;
          broadcasts.add(typeof id === 'string' ? id : (jobOptions.jobId as string));
        }
      },
      whenIdle: async () => {
        for (;;) {
          try {
            if ((await refresh()) === 0 && workers.active === 0) {
              await reportDeadLetters();
              return;
            }
          } catch {
            // The broker is down or paused: ask again.
          }
          await sleep(POLL_MS);
        }
      },
      inspect: () => holdings,
      injectFault: (event) => injectBrokerFault({ admin, embedded, workers, sleep }, event),
      close: async () => {
        clearInterval(refresher);
        const graceful = (async () => {
          await reportDeadLetters().catch(() => undefined);
          // Running jobs get a lock's length to finish: past it BullMQ itself would count them stalled.
          await workers.close(timing.lockDurationMs, (ms, signal) => context.clock.sleep(ms, signal));
          if (given) await queue.obliterate({ force: true }).catch(() => undefined);
          await queue.close().catch(() => undefined);
        })();
        // Every step above talks to a broker that may have lost jobs or connections, and any of them can wait for
        // good: together they get two locks' length, then the broker stops regardless.
        const budget = new AbortController();
        try {
          await Promise.race([
            graceful,
            context.clock.sleep(2 * timing.lockDurationMs, budget.signal).catch(() => undefined),
          ]);
        } finally {
          budget.abort();
          admin.disconnect();
          await embedded?.stop();
          withdraw();
        }
      },
    };
  };
  return Object.assign(factory, {
    requirements: (targetOptions: JsonObject) => {
      const resolved = resolveBullmqTargetOptions(options, targetOptions);
      // BullMQ starts jobs in queue order only with one worker running one job at a time.
      const consumers = resolved.workers * (resolved.worker.concurrency ?? 1);
      return {
        clock: 'real' as const,
        drainTimeoutMs: bullmqTiming(resolved).drainTimeoutMs,
        ordered: consumers === 1,
      };
    },
  });
}
