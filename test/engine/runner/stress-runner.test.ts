import { describe, expect, expectTypeOf, it } from 'vitest';
import { createSimpleTarget } from '../../../fixtures/targets/simple-processor.ts';
import {
  NONDETERMINISTIC_REPORT_FIELDS,
  runStress,
  type StressProgress,
  StressProgressEvent,
  StressRunner,
  type StressTarget,
  type StressTargetFactory,
  yieldToEventLoop,
} from '../../../src/engine/index.ts';
import { StressError, type StressErrorCode } from '../../../src/protocol/index.ts';
import { createReferenceTarget } from '../../../src/reference/index.ts';

/** The report as JSON with the wall-clock and environment fields removed. */
function deterministicJson(report: object): string {
  const copy = JSON.parse(JSON.stringify(report)) as { metrics: Record<string, Record<string, unknown>> };
  for (const path of NONDETERMINISTIC_REPORT_FIELDS) {
    const [group, field] = path.split('.') as [string, string];
    const holder = copy.metrics[group];
    expect(holder).toBeDefined();
    expect(field in (holder as object)).toBe(true);
    delete holder?.[field];
  }
  return JSON.stringify(copy);
}

/** A target that accepts everything and never finishes it. */
const neverIdle: StressTargetFactory = () => ({
  enqueue: async () => {},
  whenIdle: () => new Promise<void>(() => {}),
  inspect: () => ({ pending: 2, processing: 1 }),
  close: async () => {},
});

/** A target that polls forever on the clock: time keeps moving, so only the drain timeout ends it. */
const busyPolling: StressTargetFactory = ({ clock }) => {
  const tick = (): void => {
    clock.setTimer(10, tick);
  };
  tick();
  return {
    enqueue: async () => {},
    whenIdle: () => new Promise<void>(() => {}),
    inspect: () => ({ pending: 1, processing: 0 }),
    close: async () => {},
  };
};

async function rejectsWith(run: () => unknown, code: StressErrorCode, text?: string): Promise<void> {
  let caught: unknown;
  try {
    await run();
  } catch (error) {
    caught = error;
  }
  expect(StressError.is(caught, code), `expected ${code}, got ${String(caught)}`).toBe(true);
  if (text !== undefined) expect((caught as Error).message).toContain(text);
}

describe('StressRunner', () => {
  it('reproduces the default run: 9 agents x 100 through the simple processor', async () => {
    const report = await runStress({ target: createSimpleTarget() });
    expect(report.ok).toBe(true);
    expect(report.failures).toEqual([]);
    expect(report.warnings).toEqual([]);
    expect(report.drain).toEqual({ status: 'drained', pending: 0, processing: 0 });
    const m = report.metrics;
    expect(m.total_processed).toBe(900);
    expect(m.success_count).toBe(900);
    expect(m.success_rate).toBe(1);
    expect(m.by_agent).toEqual(
      Object.fromEntries(Array.from({ length: 9 }, (_, i) => [`Agent-${i + 1}`, 100])),
    );
    expect(m.by_message_type).toEqual({ SYSTEM_TO_AGENT: 450, BROADCAST: 225, ONBOARDING: 225 });
    expect(m.invariants.lost).toBe(0);
    expect(m.invariants.conservation.holds).toBe(true);
    expect(m.invariants.sent).toBe(900);
    expect(m.run).toMatchObject({
      seed: 1,
      clock: 'virtual',
      agents: 9,
      messages_per_agent: 100,
      chaos: null,
    });
    // Default latency is uniform 1-5 ms on the virtual clock, and the open stream lasts about 4 s.
    expect(m.latency_stats.min_ms).toBeGreaterThanOrEqual(1);
    expect(m.duration).toBeGreaterThan(3.9);
    expect(m.duration).toBeLessThan(4.1);
    expect(m.queue_depth.samples).toBe(700);
  });

  it('gives a byte-identical report for the same seed and options, apart from the wall-clock fields', async () => {
    const options = { target: createSimpleTarget(), seed: 7, chaos: 'original' as const, agents: 5 };
    const first = await runStress(options);
    const second = await runStress(options);
    expect(deterministicJson(second)).toBe(deterministicJson(first));
    expect(first.metrics.retries).toBeGreaterThan(0);
  });

  it('gives the same report whether continuations settle by microtask or by event-loop turn', async () => {
    // The default pause settles continuations without an event-loop turn; a deterministic target must not
    // see the difference. Chaos adds hangs, aborts, retries and crashes to the paths compared.
    for (const options of [
      { target: createSimpleTarget(), seed: 7, chaos: 'original' as const, agents: 5 },
      { target: createReferenceTarget(), seed: 11, chaos: 'original' as const, agents: 4 },
      {
        target: createReferenceTarget(),
        seed: 12,
        agents: 3,
        messagesPerAgent: 60,
        chaos: {
          rates: { hang: 0.05, throw: 0.05, duplicate_delivery: 0.05 },
          events: [{ atMs: 500, kind: 'crash_restart' as const, durationMs: 200 }],
        },
      },
    ]) {
      const settled = await runStress(options);
      const turned = await runStress({ ...options, yield: yieldToEventLoop });
      expect(deterministicJson(settled)).toBe(deterministicJson(turned));
    }
  });

  it('gives different reports for different seeds', async () => {
    const [a, b] = await Promise.all(
      [1, 2].map((seed) =>
        runStress({ target: createSimpleTarget(), seed, agents: 3, messagesPerAgent: 50 }),
      ),
    );
    expect(a?.ok && b?.ok).toBe(true);
    expect(a?.metrics.total_processed).toBe(b?.metrics.total_processed);
    expect(a?.metrics.latency_stats).not.toEqual(b?.metrics.latency_stats);
    expect(deterministicJson(a as object)).not.toBe(deterministicJson(b as object));
  });

  it('injects and counts the original chaos while every unit stays accounted for', async () => {
    const report = await runStress({ target: createSimpleTarget(), chaos: 'original', seed: 3 });
    const m = report.metrics;
    expect(m.chaos.delivery_failure).toBeGreaterThan(0);
    expect(m.chaos.latency_spike).toBeGreaterThan(0);
    // Instant chaos failures are a subset of the failed attempts (the 95 % success rate adds the rest).
    expect(m.attempts.failed).toBeGreaterThan(m.chaos.delivery_failure as number);
    expect(m.retries).toBeGreaterThan(0);
    expect(m.run.chaos).toMatchObject({ name: 'original' });
    const c = m.invariants.conservation;
    expect(c.holds).toBe(true);
    expect(c.lost).toBe(0);
    expect(c.sent).toBe(900);
    expect(c.delivered + c.dead_lettered).toBe(900);
    expect(m.total_processed).toBe(900);
    expect(report.ok).toBe(true);
  });

  it('evaluates thresholds and reports the measured values', async () => {
    const report = await runStress({
      target: createSimpleTarget(),
      agents: 2,
      messagesPerAgent: 20,
      thresholds: {
        success_rate: '>= 0.99',
        'latency_stats.p95_ms': ['< 1', '> 0'],
        'invariants.lost': '== 0',
      },
    });
    const byExpression = Object.fromEntries(
      report.thresholds.map((verdict) => [`${verdict.metric} ${verdict.expression}`, verdict]),
    );
    expect(byExpression['success_rate >= 0.99']).toMatchObject({ ok: true, value: 1 });
    expect(byExpression['invariants.lost == 0']).toMatchObject({ ok: true, value: 0 });
    expect(byExpression['latency_stats.p95_ms > 0']?.ok).toBe(true);
    const failed = byExpression['latency_stats.p95_ms < 1'];
    expect(failed?.ok).toBe(false);
    expect(failed?.value).toBe(report.metrics.latency_stats.p95_ms);
    expect(failed?.value).toBeGreaterThan(1);
    expect(report.ok).toBe(false);
    expect(report.failures).toEqual([
      `threshold latency_stats.p95_ms < 1 failed: measured ${failed?.value} (Measured ${failed?.value}, expected < 1.)`,
    ]);
    expect(report.invariants.valid).toBe(true);
  });

  it('fails a threshold on an unknown metric instead of passing it', async () => {
    const report = await runStress({
      target: createSimpleTarget(),
      agents: 1,
      messagesPerAgent: 5,
      typeMix: { system_to_agent: 1 },
      thresholds: { succes_rate: '>= 0.5' },
    });
    expect(report.ok).toBe(false);
    expect(report.thresholds[0]).toMatchObject({ ok: false, value: null });
    expect(report.thresholds[0]?.reason).toContain('success_rate');
  });

  it('reports a target that never goes idle as stalled, with what it still holds', async () => {
    const report = await runStress({ target: neverIdle, agents: 2, messagesPerAgent: 5 });
    expect(report.ok).toBe(false);
    expect(report.drain).toEqual({ status: 'stalled', pending: 2, processing: 1 });
    expect(report.failures).toContain('final drain stalled: 2 pending, 1 processing');
    expect(report.invariants.stuck).toBe(1);
  });

  it('reports a busy target that outlives the drain timeout as timed out', async () => {
    const report = await runStress({
      target: busyPolling,
      agents: 2,
      messagesPerAgent: 5,
      drainTimeoutMs: 1_000,
    });
    expect(report.drain.status).toBe('timeout');
    expect(report.failures).toContain('final drain timeout: 1 pending, 0 processing');
    // Sending lasts 200 ms (5 per agent at 25/s); the drain may then take 1 s more of virtual time.
    expect(report.metrics.duration).toBeCloseTo(1.2, 1);
  });

  it('runs a tiny workload on the real clock', async () => {
    const report = await runStress({
      target: createSimpleTarget(),
      clock: 'real',
      agents: 2,
      messagesPerAgent: 3,
      typeMix: { system_to_agent: 1 },
      arrival: { kind: 'burst' },
      core: { latency: { kind: 'fixed', ms: 1 } },
    });
    expect(report.ok).toBe(true);
    expect(report.metrics.run.clock).toBe('real');
    expect(report.metrics.total_processed).toBe(6);
    expect(report.metrics.latency_stats.min_ms).toBeGreaterThanOrEqual(0.5);
  });

  it('rejects bad options with coded errors before running', async () => {
    const target = createSimpleTarget();
    const bad = (options: object) => () => new StressRunner({ target, ...options });
    await rejectsWith(() => new StressRunner({} as never), 'ERR_INVALID_OPTION', '`target`');
    await rejectsWith(bad({ seed: 1.5 }), 'ERR_INVALID_OPTION', '`seed`');
    await rejectsWith(bad({ clock: 'wall' }), 'ERR_INVALID_OPTION', '`clock`');
    await rejectsWith(bad({ chaos: 'brutal' }), 'ERR_INVALID_OPTION', 'preset');
    await rejectsWith(
      bad({ chaos: { rates: { delivery_failure: 2 } } }),
      'ERR_INVALID_OPTION',
      'delivery_failure',
    );
    await rejectsWith(bad({ core: { successRate: -1 } }), 'ERR_INVALID_OPTION', 'core.successRate');
    await rejectsWith(bad({ profile: 'at-most-once' }), 'ERR_INVALID_OPTION', '`profile`');
    await rejectsWith(bad({ drainTimeoutMs: 0 }), 'ERR_INVALID_OPTION', 'drainTimeoutMs');
    await rejectsWith(bad({ thresholds: { success_rate: 'at least 0.9' } }), 'ERR_INVALID_THRESHOLD');
    await rejectsWith(() => runStress({ target, agents: 0 }), 'ERR_INVALID_OPTION', '`agents`');
    await rejectsWith(() => runStress({ target, messagesPerAgent: -3 }), 'ERR_INVALID_OPTION');
  });

  it('wraps a failing or malformed target factory in ERR_TARGET', async () => {
    const throwing: StressTargetFactory = () => {
      throw new Error('no database');
    };
    await rejectsWith(() => runStress({ target: throwing }), 'ERR_TARGET', 'no database');
    const partial = (() => ({ enqueue: async () => {} })) as unknown as StressTargetFactory;
    await rejectsWith(() => runStress({ target: partial }), 'ERR_TARGET', '`whenIdle()`');
  });

  it('dispatches progress events from sending through draining to done', async () => {
    const runner = new StressRunner({ target: createSimpleTarget() });
    const events: StressProgress[] = [];
    runner.addEventListener('progress', (event) => {
      // Typed by the runner's event map: no cast in listeners.
      expectTypeOf(event).toEqualTypeOf<StressProgressEvent>();
      expect(event).toBeInstanceOf(StressProgressEvent);
      events.push(event.detail);
    });
    await runner.run();
    const sending = events.filter((event) => event.phase === 'sending');
    expect(sending.length).toBe(100);
    expect(sending.every((event, i) => i === 0 || event.sent > (sending[i - 1] as StressProgress).sent)).toBe(
      true,
    );
    expect(events.map((event) => event.phase).slice(-2)).toEqual(['draining', 'done']);
    expect(events.at(-1)).toMatchObject({ sent: 700, total: 700 });
    expect(events.at(-2)).toMatchObject({ sent: 700, total: 700 });
  });

  it('stops sending when its signal aborts and says so', async () => {
    const controller = new AbortController();
    const runner = new StressRunner({ target: createSimpleTarget(), signal: controller.signal });
    runner.addEventListener('progress', (event) => {
      if (event.detail.sent >= 200) controller.abort();
    });
    const report = await runner.run();
    expect(report.ok).toBe(false);
    expect(report.drain.status).toBe('aborted');
    expect(report.failures.some((line) => line.startsWith('final drain aborted'))).toBe(true);
    // Cut short, not stuck: what was mid-attempt is in flight, and only the abort is a failure.
    expect(report.invariants.stuck).toBe(0);
    expect(report.invariants.violations.join('\n')).not.toContain('still processing');
    expect(report.invariants.sent).toBeLessThan(900);
    expect(report.metrics.duration).toBeLessThan(2);
  });

  it('does nothing but report when the signal is already aborted', async () => {
    const report = await runStress({ target: createSimpleTarget(), signal: AbortSignal.abort() });
    expect(report.drain.status).toBe('aborted');
    expect(report.invariants.sent).toBe(0);
  });

  it('warns about run-level events it could not carry out', async () => {
    const noCrash: StressTargetFactory = async (context) => {
      const {
        crash: _crash,
        restart: _restart,
        ...rest
      } = (await createSimpleTarget()(context)) as StressTarget;
      return rest;
    };
    const report = await runStress({
      target: noCrash,
      agents: 2,
      messagesPerAgent: 10,
      chaos: {
        events: [
          { atMs: 10, kind: 'crash_restart' },
          { atMs: 60_000, kind: 'saturation_burst', count: 5 },
        ],
      },
    });
    expect(report.ok).toBe(true);
    expect(report.warnings).toEqual([
      'chaos crash_restart at 10 ms skipped: the target has no crash()/restart()',
      expect.stringMatching(/^chaos saturation_burst at 60000 ms never fired: the run ended at \d+ ms$/),
    ]);
    expect(report.metrics.chaos).toEqual({});
  });

  it('takes a synchronous enqueue as it is: nothing returned is accepted, a throw is refused by its code', async () => {
    const held: string[] = [];
    const target: StressTargetFactory = ({ messagingCore }) => ({
      enqueue(message) {
        if (message.id.endsWith('7')) throw new StressError('ERR_QUEUE_FULL', 'full');
        if (message.id.endsWith('8')) throw new Error('not coded');
        held.push(message.id);
        void messagingCore.deliver(message, message.recipient === 'ALL' ? 'Agent-1' : message.recipient, {
          attempt: 1,
        });
      },
      whenIdle: async () => {},
      inspect: () => ({ pending: 0, processing: 0 }),
      close: async () => {},
    });
    const report = await runStress({
      target,
      agents: 1,
      messagesPerAgent: 30,
      core: { latency: { kind: 'none' } },
      // A fifth of the workload is refused on purpose: relax the default limit on refused work.
      thresholds: { rejected_rate: '<= 1' },
    });
    expect(held).toHaveLength(24);
    expect(report.invariants).toMatchObject({ sent: 30, accepted: 24, rejected: 6, delivered: 24, lost: 0 });
    expect(report.warnings).toContain('3 enqueue(s) refused with ERR_TARGET');
    expect(report.ok).toBe(true);
  });

  it('crashes and restarts a target and floods it with a burst, keeping every unit accounted for', async () => {
    const report = await runStress({
      target: createSimpleTarget(),
      chaos: {
        events: [
          { atMs: 1000, kind: 'crash_restart', durationMs: 100 },
          { atMs: 2000, kind: 'saturation_burst', count: 100 },
        ],
      },
    });
    expect(report.metrics.chaos).toEqual({ crash_restart: 1, saturation_burst: 1 });
    // Messages sent while it was down are refused, not lost.
    expect(report.invariants.rejected).toBeGreaterThan(0);
    expect(report.invariants.lost).toBe(0);
    expect(report.invariants.conservation.holds).toBe(true);
    expect(report.ok).toBe(true);
  });
});
