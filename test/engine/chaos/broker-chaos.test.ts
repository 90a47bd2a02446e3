import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createRingTarget } from '../../../fixtures/targets/ring-target.ts';
import {
  BROKER_CHAOS_KINDS,
  type BrokerChaosKind,
  type ChaosEvent,
  runStress,
  type StressTargetFactory,
  validateChaosSchedule,
} from '../../../src/engine/index.ts';
import { chaosSchedule } from '../../../src/generators/index.ts';
import { StressError } from '../../../src/protocol/index.ts';

function codeOf(input: unknown): string {
  try {
    validateChaosSchedule(input);
  } catch (error) {
    if (StressError.is(error)) return `${error.code}: ${error.message}`;
    throw error;
  }
  return 'valid';
}

describe('broker chaos kinds', () => {
  it('validate: a restart or crash may stay down, pause and slow need a window, a drop takes none', () => {
    const schedule = validateChaosSchedule({
      events: [
        { atMs: 10, kind: 'broker_restart', durationMs: 50 },
        { atMs: 20, kind: 'worker_crash' },
        { atMs: 30, kind: 'broker_pause', durationMs: 100 },
        { atMs: 40, kind: 'broker_slow', durationMs: 100 },
        { atMs: 50, kind: 'connection_drop' },
      ],
    });
    expect(schedule.events.map((event) => event.kind)).toEqual([
      'broker_restart',
      'worker_crash',
      'broker_pause',
      'broker_slow',
      'connection_drop',
    ]);
    expect(schedule.events[1]).toEqual({ atMs: 20, kind: 'worker_crash' });
    expect(codeOf({ events: [{ atMs: 0, kind: 'broker_pause' }] })).toMatch(/durationMs` to be a number/);
    expect(codeOf({ events: [{ atMs: 0, kind: 'connection_drop', durationMs: 5 }] })).toMatch(
      /absent for "connection_drop"/,
    );
    expect(codeOf({ events: [{ atMs: 0, kind: 'broker_restart', agent: 'Agent-1' }] })).toMatch(
      /absent for "broker_restart"/,
    );
    expect(codeOf({ rates: { broker_pause: 0.1 } })).toMatch(/ERR_INVALID_OPTION: .*rates\.broker_pause/);
  });

  it('are handed to the target at their time, each counted once it is over', async () => {
    const seen: { kind: BrokerChaosKind; atMs: number }[] = [];
    const ring = createRingTarget();
    const target: StressTargetFactory = async (context) => ({
      ...(await ring(context)),
      injectFault: async (event) => {
        seen.push({ kind: event.kind, atMs: context.clock.now() });
      },
    });
    const events: ChaosEvent[] = BROKER_CHAOS_KINDS.map((kind, i) =>
      kind === 'broker_pause' || kind === 'broker_slow'
        ? { atMs: 100 * (i + 1), kind, durationMs: 10 }
        : { atMs: 100 * (i + 1), kind },
    );
    const report = await runStress({ target, agents: 2, messagesPerAgent: 40, chaos: { events } });
    expect(seen).toEqual(BROKER_CHAOS_KINDS.map((kind, i) => ({ kind, atMs: 100 * (i + 1) })));
    expect(report.metrics.chaos).toMatchObject(Object.fromEntries(BROKER_CHAOS_KINDS.map((k) => [k, 1])));
    expect(report.ok).toBe(true);
  });

  it('are skipped with a warning by a target without a broker, and a refused fault is a warning too', async () => {
    const skipped = await runStress({
      target: createRingTarget(),
      agents: 2,
      messagesPerAgent: 10,
      chaos: { events: [{ atMs: 0, kind: 'connection_drop' }] },
    });
    expect(skipped.warnings).toEqual([
      'chaos connection_drop at 0 ms skipped: the target has no broker (no injectFault())',
    ]);
    const ring = createRingTarget();
    const refused = await runStress({
      target: async (context) => ({
        ...(await ring(context)),
        injectFault: async () => {
          throw new StressError('ERR_BROKER', 'cannot');
        },
      }),
      agents: 2,
      messagesPerAgent: 10,
      chaos: { events: [{ atMs: 0, kind: 'broker_restart' }] },
    });
    expect(refused.warnings).toEqual(['chaos event failed: [vitest-stress] cannot']);
    expect(refused.metrics.chaos).toEqual({});
  });

  it('are generated only when named, with valid shapes', () => {
    const inProcess = fc.sample(chaosSchedule({ maxEvents: 5 }), 200);
    const kinds = new Set(inProcess.flatMap((s) => (s.events ?? []).map((event) => event.kind)));
    for (const kind of BROKER_CHAOS_KINDS) expect(kinds.has(kind)).toBe(false);
    const broker = fc.sample(
      chaosSchedule({ kinds: BROKER_CHAOS_KINDS, horizonMs: 1000, maxEvents: 5 }),
      200,
    );
    const seen = new Set<string>();
    for (const schedule of broker) {
      expect(schedule.rates).toBeUndefined();
      for (const event of validateChaosSchedule(schedule).events) {
        seen.add(event.kind);
        expect(event.agent).toBeUndefined();
        expect(event.atMs).toBeLessThanOrEqual(1000);
      }
    }
    expect([...seen].sort()).toEqual([...BROKER_CHAOS_KINDS].sort());
  });

  it('lets a target require the real clock and set the drain timeout and order checks', async () => {
    const ring = createRingTarget();
    const target = Object.assign((context: Parameters<typeof ring>[0]) => ring(context), {
      requirements: () => ({ clock: 'real' as const, drainTimeoutMs: 1234, ordered: false }),
    });
    expect(() => runStress({ target, clock: 'virtual' })).toThrow(/`clock` to be "real"/);
    const report = await runStress({ target, agents: 1, messagesPerAgent: 5, arrival: { kind: 'burst' } });
    expect(report.metrics.run.clock).toBe('real');
    expect(report.invariants.checks).toEqual({ order: false, priority: false });
  });
});
