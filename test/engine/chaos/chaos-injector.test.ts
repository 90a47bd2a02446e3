import { describe, expect, it } from 'vitest';
import { ChaosInjector } from '../../../src/engine/chaos/chaos-injector.ts';
import { ALL_CHAOS_KINDS, type ChaosSchedule } from '../../../src/engine/chaos/chaos-schedule.ts';
import { VirtualClock } from '../../../src/engine/clock/virtual-clock.ts';
import { SeededRandom } from '../../../src/engine/workload/seeded-random.ts';
import { StressError } from '../../../src/protocol/index.ts';

function injector(schedule: ChaosSchedule | undefined, seed = 1) {
  const clock = new VirtualClock();
  return { clock, chaos: new ChaosInjector({ schedule, random: new SeededRandom(seed), clock }) };
}

describe('ChaosInjector', () => {
  it('is disabled and silent without a schedule', () => {
    const { chaos } = injector(undefined);
    expect(chaos.enabled).toBe(false);
    expect(chaos.outcomeFault('Agent-1')).toBeUndefined();
    expect(chaos.extraLatencyMs('Agent-1')).toBe(0);
    expect(chaos.storeWrite()).toBeUndefined();
    expect(Object.keys(chaos.counts()).sort()).toEqual([...ALL_CHAOS_KINDS].sort());
    expect(Object.values(chaos.counts()).every((count) => count === 0)).toBe(true);
  });

  it('opens no fault window for broker kinds: the target executes them', () => {
    const { clock, chaos } = injector({ events: [{ atMs: 0, kind: 'broker_pause', durationMs: 1000 }] });
    clock.advanceTo(10);
    expect(chaos.enabled).toBe(true);
    expect(chaos.outcomeFault('Agent-1')).toBeUndefined();
    expect(chaos.extraLatencyMs('Agent-1')).toBe(0);
    expect(chaos.timedEvents('broker_pause')).toEqual([{ atMs: 0, kind: 'broker_pause', durationMs: 1000 }]);
    chaos.recordInjected('broker_pause');
    expect(chaos.counts().broker_pause).toBe(1);
    // One kind without the whole record, as the workload sender asks on each refusal.
    expect(chaos.count('broker_pause')).toBe(1);
    expect(chaos.count('store_write_failure')).toBe(0);
  });

  it('injects outcome faults at their rates and counts exactly what it returned', () => {
    const { chaos } = injector({ rates: { delivery_failure: 0.1, throw: 0.05, hang: 0.02 } });
    expect(chaos.enabled).toBe(true);
    const seen: Record<string, number> = {};
    const n = 20_000;
    for (let i = 0; i < n; i++) {
      const fault = chaos.outcomeFault('Agent-1') ?? 'none';
      seen[fault] = (seen[fault] ?? 0) + 1;
    }
    const counts = chaos.counts();
    expect(counts.delivery_failure).toBe(seen.delivery_failure);
    expect(counts.throw).toBe(seen.throw);
    expect(counts.hang).toBe(seen.hang);
    expect(counts.agent_full).toBe(0);
    expect(seen.delivery_failure! / n).toBeCloseTo(0.1, 1);
    expect(seen.throw! / n).toBeGreaterThan(0.04);
    expect(seen.throw! / n).toBeLessThan(0.06);
    expect(seen.hang! / n).toBeGreaterThan(0.015);
    expect(seen.hang! / n).toBeLessThan(0.025);
  });

  it('repeats the same faults for the same seed', () => {
    const run = (seed: number) => {
      const { chaos } = injector({ rates: { throw: 0.3, latency_spike: 0.3 } }, seed);
      return Array.from({ length: 100 }, () => [chaos.outcomeFault('a'), chaos.extraLatencyMs('a')]);
    };
    expect(run(4)).toEqual(run(4));
    expect(run(4)).not.toEqual(run(5));
  });

  it('applies a timed window over [atMs, atMs + durationMs) to its agent only', () => {
    const { clock, chaos } = injector({
      events: [{ atMs: 100, kind: 'agent_full', agent: 'Agent-1', durationMs: 50 }],
    });
    clock.advanceTo(99);
    expect(chaos.outcomeFault('Agent-1')).toBeUndefined();
    clock.advanceTo(100);
    expect(chaos.outcomeFault('Agent-1')).toBe('agent_full');
    expect(chaos.outcomeFault('Agent-2')).toBeUndefined();
    clock.advanceTo(149.9);
    expect(chaos.outcomeFault('Agent-1')).toBe('agent_full');
    clock.advanceTo(150);
    expect(chaos.outcomeFault('Agent-1')).toBeUndefined();
    expect(chaos.counts().agent_full).toBe(2);
  });

  it('lets overlapping windows resolve by outcome precedence, and agentless windows hit everyone', () => {
    const { chaos } = injector({
      events: [
        { atMs: 0, kind: 'hang', durationMs: 10 },
        { atMs: 0, kind: 'agent_full', agent: 'Agent-2', durationMs: 10 },
      ],
    });
    expect(chaos.outcomeFault('Agent-1')).toBe('hang');
    expect(chaos.outcomeFault('Agent-2')).toBe('agent_full');
  });

  it('adds spike and slow latency from rates and windows, each within its range', () => {
    const { clock, chaos } = injector({
      rates: { latency_spike: 1 },
      spike: { minMs: 100, maxMs: 200 },
      slow: { minMs: 1000, maxMs: 1000 },
      events: [{ atMs: 50, kind: 'agent_slow', agent: 'Agent-1', durationMs: 10 }],
    });
    const spike = chaos.extraLatencyMs('Agent-1');
    expect(spike).toBeGreaterThanOrEqual(100);
    expect(spike).toBeLessThanOrEqual(200);
    clock.advanceTo(55);
    const both = chaos.extraLatencyMs('Agent-1');
    expect(both).toBeGreaterThanOrEqual(1100);
    expect(both).toBeLessThanOrEqual(1200);
    expect(chaos.extraLatencyMs('Agent-2')).toBeLessThanOrEqual(200);
    expect(chaos.counts()).toMatchObject({ latency_spike: 3, agent_slow: 1 });
  });

  it('fails store writes by rate and by window, with ERR_STORE_WRITE', () => {
    const always = injector({ rates: { store_write_failure: 1 } }).chaos;
    const error = always.storeWrite();
    expect(StressError.is(error, 'ERR_STORE_WRITE')).toBe(true);
    expect(always.counts().store_write_failure).toBe(1);

    const { clock, chaos } = injector({ events: [{ atMs: 10, kind: 'store_write_failure', durationMs: 5 }] });
    expect(chaos.storeWrite()).toBeUndefined();
    clock.advanceTo(12);
    expect(chaos.storeWrite()).toBeInstanceOf(StressError);
    expect(chaos.counts().store_write_failure).toBe(1);
  });

  it('exposes run-level events as data and counts what the runner reports', () => {
    const { chaos } = injector({
      events: [
        { atMs: 300, kind: 'crash_restart', durationMs: 10 },
        { atMs: 100, kind: 'crash_restart' },
        { atMs: 200, kind: 'saturation_burst', count: 5 },
      ],
    });
    expect(chaos.enabled).toBe(true);
    expect(chaos.timedEvents('crash_restart').map((event) => event.atMs)).toEqual([100, 300]);
    expect(chaos.timedEvents('saturation_burst')).toEqual([
      { atMs: 200, kind: 'saturation_burst', count: 5 },
    ]);
    expect(chaos.outcomeFault('Agent-1')).toBeUndefined();
    chaos.recordInjected('crash_restart');
    chaos.recordInjected('saturation_burst', 5);
    expect(chaos.counts()).toMatchObject({ crash_restart: 1, saturation_burst: 5 });
  });

  it('validates its schedule', () => {
    expect(() => injector({ rates: { hang: 2 } })).toThrow(/chaos\.rates\.hang/);
  });
});
