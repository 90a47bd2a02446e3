import { pathToFileURL } from 'node:url';
import { Queue, Worker } from 'bullmq';
import { CORRECT_SETTINGS, notifyProcessor } from '../fixtures/targets/bullmq-workers.ts';
import { createBullmqTarget, EmbeddedRedis, type RedisPersistence } from '../src/bullmq/index.ts';
import { runStress, type StressOptions } from '../src/engine/index.ts';
import type { BenchResult } from './bench-result.ts';

// Deliveries per second through BullMQ on the embedded redis-server, real clock. The baseline is BullMQ alone
// in this process: the same queue and worker settings (concurrency 4, one worker), the same number of jobs
// added one by one at once, a processor that only counts; no engine, ledger or metrics. The engine run carries
// the whole stress path (workload, mock core with no latency, ledger, metrics, queue inspection). The cost of
// a broker restart is timed twice: SIGKILL to accepting connections again, and the extra wall time one
// broker_restart adds to a run (persistence everysec, so nothing is lost and the run must stay ok).

const AGENTS = 4;
const PER_AGENT = 500;
const JOBS = AGENTS * PER_AGENT;
const ROUNDS = 3;
const PERSISTENCE: RedisPersistence = 'everysec';
const connectionOf = (redis: EmbeddedRedis) => ({
  host: redis.host,
  port: redis.port,
  maxRetriesPerRequest: null,
});

const median = (values: number[]): number =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;

/** BullMQ alone: `JOBS` adds, a worker with the fixture's settings that only counts, until all completed. */
async function bareBullmq(): Promise<number> {
  const redis = await EmbeddedRedis.start({ persistence: PERSISTENCE });
  const connection = connectionOf(redis);
  const queue = new Queue('bench', { ...CORRECT_SETTINGS.queue, connection });
  let done = 0;
  let finished: () => void = () => {};
  const allDone = new Promise<void>((resolve) => {
    finished = resolve;
  });
  const worker = new Worker<{ i: number }>(
    'bench',
    async () => {
      if (++done === JOBS) finished();
    },
    { ...CORRECT_SETTINGS.worker, connection },
  );
  await worker.waitUntilReady();
  const started = performance.now();
  await Promise.all(Array.from({ length: JOBS }, (_, i) => queue.add('x', { i }, { jobId: `j${i}` })));
  await allDone;
  const seconds = (performance.now() - started) / 1000;
  await worker.close();
  await queue.close();
  await redis.stop();
  return JOBS / seconds;
}

const OPTIONS = {
  agents: AGENTS,
  messagesPerAgent: PER_AGENT,
  seed: 1,
  arrival: { kind: 'burst' },
  priorityMix: { regular: 1, urgent: 0 },
  core: { successRate: 1, latency: { kind: 'none' } },
} satisfies Omit<StressOptions, 'target'>;

/** A stress run through the BullMQ target; returns deliveries per second and its wall time. */
async function engineRun(
  options: Partial<StressOptions> = {},
): Promise<{ perSecond: number; wallMs: number }> {
  const target = createBullmqTarget({
    ...CORRECT_SETTINGS,
    processor: notifyProcessor,
    redis: { persistence: PERSISTENCE },
  });
  const report = await runStress({ ...OPTIONS, ...options, target });
  if (!report.ok) throw new Error(`bench run failed: ${report.failures.join('; ')}`);
  const wallMs = report.metrics.run.wall_time_ms;
  return { perSecond: report.invariants.deliveries / (wallMs / 1000), wallMs };
}

/**
 * The longest pause between two completed jobs while a worker drains `JOBS` jobs, with a SIGKILL and restart of
 * the broker after a quarter of them when `restart` is set: the delivery gap a broker restart costs.
 */
async function longestGapMs(restart: boolean): Promise<{ gapMs: number; readyMs: number }> {
  const redis = await EmbeddedRedis.start({ persistence: PERSISTENCE });
  const connection = { ...connectionOf(redis), retryStrategy: (times: number) => Math.min(25 * times, 500) };
  const queue = new Queue('bench', { connection });
  queue.on('error', () => undefined);
  await queue.addBulk(
    Array.from({ length: JOBS }, (_, i) => ({ name: 'x', data: { i }, opts: { jobId: `j${i}` } })),
  );
  const completions: number[] = [];
  let readyMs = 0;
  let restarting: Promise<void> | undefined;
  let finished: () => void = () => {};
  const allDone = new Promise<void>((resolve) => {
    finished = resolve;
  });
  const worker = new Worker('bench', async () => undefined, { ...CORRECT_SETTINGS.worker, connection });
  worker.on('error', () => undefined);
  worker.on('completed', () => {
    completions.push(performance.now());
    if (restart && completions.length === JOBS / 4) {
      restarting = (async () => {
        const started = performance.now();
        await redis.kill();
        await redis.restart();
        readyMs = performance.now() - started;
      })();
    }
    if (completions.length >= JOBS) finished();
  });
  await allDone;
  await restarting;
  let gapMs = 0;
  for (let i = 1; i < completions.length; i++)
    gapMs = Math.max(gapMs, (completions[i] as number) - (completions[i - 1] as number));
  await worker.close();
  await queue.close();
  await redis.stop();
  return { gapMs, readyMs };
}

/** Jobs acknowledged by `add` before a SIGKILL that the restarted broker no longer has, for one persistence. */
async function lostAcknowledgedAdds(persistence: RedisPersistence): Promise<{ acked: number; lost: number }> {
  const redis = await EmbeddedRedis.start({ persistence });
  const queue = new Queue('bench', {
    connection: { ...connectionOf(redis), retryStrategy: (times: number) => Math.min(25 * times, 500) },
  });
  queue.on('error', () => undefined);
  const acked: string[] = [];
  let stop = false;
  const producers = Array.from({ length: 8 }, async (_, p) => {
    for (let i = 0; !stop; i++) {
      const id = `${p}-${i}`;
      await queue.add('x', { i }, { jobId: id }).then(
        () => acked.push(id),
        () => undefined,
      );
    }
  });
  await new Promise((resolve) => setTimeout(resolve, 1500));
  await redis.kill();
  const before = acked.slice();
  await redis.restart();
  stop = true;
  await Promise.all(producers);
  let lost = 0;
  for (const id of before) if ((await queue.getJob(id)) === undefined) lost++;
  await queue.close();
  await redis.stop();
  return { acked: before.length, lost };
}

export async function run(): Promise<BenchResult[]> {
  const bare: number[] = [];
  const engine: number[] = [];
  const restarted: number[] = [];
  const calmGap: number[] = [];
  const restartGap: number[] = [];
  const ready: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    bare.push(await bareBullmq());
    engine.push((await engineRun()).perSecond);
    restarted.push(
      (await engineRun({ chaos: { events: [{ atMs: 200, kind: 'broker_restart', durationMs: 0 }] } }))
        .perSecond,
    );
    calmGap.push((await longestGapMs(false)).gapMs);
    const gap = await longestGapMs(true);
    restartGap.push(gap.gapMs);
    ready.push(gap.readyMs);
  }
  const losses: BenchResult[] = [];
  for (const persistence of ['always', 'everysec', 'snapshot'] as const) {
    const { acked, lost } = await lostAcknowledgedAdds(persistence);
    losses.push({
      name: `acknowledged adds lost by one SIGKILL, persistence ${persistence}`,
      value: lost,
      unit: 'jobs',
      note: `of ${acked} acknowledged in 1.5 s by 8 producers`,
    });
  }
  const baseline = { name: 'BullMQ alone (no engine, ledger or metrics)', value: median(bare) };
  return [
    {
      name: `BullMQ + embedded redis-server (${PERSISTENCE}), engine with ledger and metrics, ${JOBS} deliveries`,
      value: median(engine),
      unit: 'deliveries/s',
      baseline,
      note: `median of ${ROUNDS}; concurrency ${CORRECT_SETTINGS.worker.concurrency}, real clock, core latency none`,
    },
    {
      name: 'the same run with one broker_restart (SIGKILL + restart on the same data) at 200 ms',
      value: median(restarted),
      unit: 'deliveries/s',
      baseline: { name: 'without the restart', value: median(engine) },
    },
    {
      name: 'cost of a broker restart: longest pause between two deliveries',
      value: median(restartGap),
      unit: 'ms',
      baseline: { name: 'the same drain without a restart', value: median(calmGap) },
      note: `SIGKILL to accepting connections again: ${Math.round(median(ready))} ms; ioredis retries every 25-500 ms`,
    },
    ...losses,
  ];
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  for (const result of await run()) console.log(result);
}
