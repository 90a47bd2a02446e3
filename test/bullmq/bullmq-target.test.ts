import { existsSync } from 'node:fs';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  BROKER_FAULTS,
  BULLMQ_PLANTED_BUGS,
  type BullmqPlantedBug,
  createNotifyTarget,
  notifyProcessor,
} from '../../fixtures/targets/bullmq-workers.ts';
import { createBullmqTarget, EmbeddedRedis } from '../../src/bullmq/index.ts';
import { runStress, type StressOptions } from '../../src/engine/index.ts';
import {
  type IsolationGuard,
  installIsolationGuard,
  isolationAllowances,
} from '../../src/isolation/index.ts';

/** A small real-time workload: 4 agents, 120 units over 1.5 s, deliveries of 10-30 ms that fail 10 % of the time. */
const WORKLOAD = {
  agents: 4,
  messagesPerAgent: 30,
  seed: 3,
  arrival: { kind: 'open', ratePerAgent: 20 },
  core: { successRate: 0.9, latency: { kind: 'uniform', minMs: 10, maxMs: 30 } },
} satisfies Partial<StressOptions>;

let guard: IsolationGuard | undefined;
// A developer's REDIS_URL would point these runs at their own server: they test the embedded one.
beforeAll(() => {
  vi.stubEnv('REDIS_URL', '');
});
afterEach(() => {
  guard?.uninstall();
  guard = undefined;
});

// Real-time runs of one to five seconds each, slower on a busy machine.
describe('createBullmqTarget on an embedded redis-server', { timeout: 30_000 }, () => {
  it('the correct worker loses nothing under a restart, a pause, a drop, a worker crash and a slow spell, inside the guard', async () => {
    guard = await installIsolationGuard({ esmImportHook: false });
    const report = await runStress({ ...WORKLOAD, target: createNotifyTarget(), chaos: BROKER_FAULTS });
    expect(report.ok, report.failures.join('\n')).toBe(true);
    expect(report.invariants).toMatchObject({ sent: 120, delivered: 120, lost: 0, stuck: 0 });
    expect(report.metrics.chaos).toEqual({
      broker_pause: 1,
      broker_restart: 1,
      broker_slow: 1,
      connection_drop: 1,
      worker_crash: 1,
    });
    expect(report.metrics.run.clock).toBe('real');
    expect(report.warnings).toEqual([]);
    expect(report.notes.join('\n')).toMatch(/embedded redis-server .* persistence always/);
    expect(report.notes.join('\n')).toMatch(/isolation allowance: loopback connections to 127\.0\.0\.1:\d+/);
    // The allowance reaches the metrics file, not just the in-memory report.
    expect(report.metrics.run.notes).toEqual(report.notes);
    expect(guard.violations()).toEqual([]);
    expect(isolationAllowances()).toEqual([]);
  });

  for (const [bug, { invariant }] of Object.entries(BULLMQ_PLANTED_BUGS)) {
    it(`catches the planted bug "${bug}" by its invariant (${invariant})`, async () => {
      const report = await runStress({
        ...WORKLOAD,
        target: createNotifyTarget(bug as BullmqPlantedBug),
        chaos: BROKER_FAULTS,
        // Above the worker's stalled recovery (1.5 s): a job still held after it is stuck for good.
        drainTimeoutMs: 3000,
      });
      expect(report.ok).toBe(false);
      expect(report.invariants[invariant]).toBeGreaterThan(0);
    });
  }

  it('a worker crash alone strands an undelivered unit: stuck without stalled-job handling, recovered with it', async () => {
    const options = {
      ...WORKLOAD,
      typeMix: { system_to_agent: 1 },
      core: { successRate: 1, latency: { kind: 'fixed', ms: 40 } },
      chaos: { events: [{ atMs: 400, kind: 'worker_crash', durationMs: 50 }] },
    } satisfies Partial<StressOptions>;
    for (let round = 0; round < 2; round++) {
      const buggy = await runStress({
        ...options,
        seed: round,
        target: createNotifyTarget('no-stalled-handling'),
        drainTimeoutMs: 2000,
      });
      expect(buggy.metrics.chaos).toEqual({ worker_crash: 1 });
      expect(buggy.invariants.stuck, `round ${round}`).toBeGreaterThan(0);
    }
    const correct = await runStress({ ...options, target: createNotifyTarget() });
    expect(correct.ok, correct.failures.join('\n')).toBe(true);
    expect(correct.invariants).toMatchObject({ delivered: 120, stuck: 0, lost: 0 });
  });

  // Measured on Redis 7.0.15: a SIGKILLed server keeps every acknowledged add with the AOF (always and everysec
  // both write to the kernel before replying; everysec's one-second window needs the machine to die), and loses
  // what came after its last snapshot without it. 320 jobs take about 1.6 s; the kill comes at 500 ms, once the
  // queue's connection is surely up (adds buffered before it are not acknowledged, so not at stake).
  it("stops its broker within two locks of closing, even when a step of BullMQ's own close never ends", async () => {
    // A broker that lost jobs or connections can keep any graceful step waiting; here the queue's close does.
    const close = vi.spyOn(Queue.prototype, 'close').mockImplementation(() => new Promise<void>(() => {}));
    try {
      const report = await runStress({ ...WORKLOAD, messagesPerAgent: 5, target: createNotifyTarget() });
      expect(close).toHaveBeenCalled();
      const directory = /data in (\S+) \(removed afterwards\)/.exec(report.notes.join('\n'))?.[1];
      expect(directory, report.notes.join('\n')).toBeDefined();
      expect(existsSync(directory!)).toBe(false);
      expect(report.warnings).toEqual([]);
    } finally {
      close.mockRestore();
    }
  });

  it('shows acknowledged jobs a SIGKILLed broker forgot as lost delivery units, per persistence setting', async () => {
    const lost: Record<string, number> = {};
    for (const persistence of ['snapshot', 'everysec', 'always'] as const) {
      const report = await runStress({
        ...WORKLOAD,
        messagesPerAgent: 80,
        arrival: { kind: 'burst' },
        core: { successRate: 1, latency: { kind: 'uniform', minMs: 10, maxMs: 30 } },
        target: createNotifyTarget(undefined, persistence),
        chaos: { events: [{ atMs: 500, kind: 'broker_restart', durationMs: 50 }] },
      });
      lost[persistence] = report.invariants.lost;
      // Closed for good: the broker stopped and its data directory gone by the time the run returns. A worker
      // waiting for jobs the restarted broker had lost once held the close (and the broker) forever.
      const directory = /data in (\S+) \(removed afterwards\)/.exec(report.notes.join('\n'))?.[1];
      expect(directory, report.notes.join('\n')).toBeDefined();
      expect(existsSync(directory!), `${persistence}: ${report.warnings.join('\n')}`).toBe(false);
      if (persistence === 'snapshot') {
        expect(report.ok).toBe(false);
        expect(report.failures.join('\n')).toMatch(
          /\d+ delivery units were lost: accepted, then never delivered/,
        );
      } else {
        expect(report.ok, `${persistence}: ${report.failures.join('\n')}`).toBe(true);
      }
    }
    expect(lost.snapshot).toBeGreaterThan(0);
    expect(lost).toMatchObject({ everysec: 0, always: 0 });
  });

  it('reports the failed jobs Redis keeps past their attempts as dead letters, so nothing counts as lost', async () => {
    const report = await runStress({
      ...WORKLOAD,
      core: { successRate: 0.5 },
      arrival: { kind: 'burst' },
      target: createBullmqTarget({
        processor: notifyProcessor,
        queue: { defaultJobOptions: { attempts: 2 } },
        worker: { concurrency: 8 },
        redis: { persistence: 'off' },
      }),
    });
    expect(report.invariants.dead_lettered).toBeGreaterThan(0);
    expect(report.invariants.lost).toBe(0);
    expect(report.invariants.valid).toBe(true);
  });

  it('uses a server it is given, cannot restart it, and removes its queue afterwards', async () => {
    const server = await EmbeddedRedis.start({ persistence: 'off' });
    const admin = new Redis({ host: server.host, port: server.port });
    try {
      const report = await runStress({
        ...WORKLOAD,
        messagesPerAgent: 5,
        target: createBullmqTarget({ processor: notifyProcessor, redis: { url: server.url } }),
        chaos: { events: [{ atMs: 0, kind: 'broker_restart' }] },
      });
      expect(report.invariants.lost).toBe(0);
      expect(report.warnings.join('\n')).toMatch(/chaos event failed: .*cannot kill it/);
      expect(report.notes.join('\n')).toMatch(/Redis at 127\.0\.0\.1:\d+ \(given/);
      expect(await admin.dbsize()).toBe(0);
    } finally {
      admin.disconnect();
      await server.stop();
    }
  });

  it('refuses the virtual clock', () => {
    expect(() =>
      runStress({ target: createBullmqTarget({ processor: notifyProcessor }), clock: 'virtual' }),
    ).toThrow(/`clock` to be "real"/);
  });
});
