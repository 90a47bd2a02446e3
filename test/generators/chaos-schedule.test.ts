import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CHAOS_KINDS, CHAOS_OUTCOME_KINDS, validateChaosSchedule } from '../../src/engine/index.ts';
import { chaosEvent, chaosSchedule } from '../../src/generators/index.ts';
import { StressError } from '../../src/protocol/index.ts';

describe('chaosSchedule', () => {
  it('generates schedules the engine accepts, JSON-plain, within the bounds', () => {
    fc.assert(
      fc.property(chaosSchedule({ maxRate: 1 }), (schedule) => {
        const resolved = validateChaosSchedule(schedule);
        expect(JSON.parse(JSON.stringify(schedule))).toEqual(schedule);
        const outcomes = CHAOS_OUTCOME_KINDS.reduce((sum, kind) => sum + (resolved.rates[kind] ?? 0), 0);
        expect(outcomes).toBeLessThanOrEqual(1);
        expect(resolved.events.length).toBeLessThanOrEqual(3);
        for (const event of resolved.events) {
          expect(event.atMs).toBeLessThanOrEqual(4000);
          expect(event.durationMs ?? 0).toBeLessThanOrEqual(500);
          expect(event.count ?? 1).toBeLessThanOrEqual(200);
        }
      }),
      { seed: 1, numRuns: 300 },
    );
  });

  it('uses only the allowed kinds and respects maxRate', () => {
    fc.assert(
      fc.property(chaosSchedule({ kinds: ['throw', 'crash_restart'], maxRate: 0.05 }), (schedule) => {
        for (const [kind, rate] of Object.entries(schedule.rates ?? {})) {
          expect(kind).toBe('throw');
          expect(rate).toBeLessThanOrEqual(0.05);
          expect(rate).toBeGreaterThan(0);
        }
        for (const event of schedule.events ?? []) expect(['throw', 'crash_restart']).toContain(event.kind);
      }),
      { seed: 2, numRuns: 200 },
    );
  });

  it('covers every kind as a rate or an event', () => {
    const seen = new Set<string>();
    for (const schedule of fc.sample(chaosSchedule(), { seed: 3, numRuns: 300 })) {
      for (const kind of Object.keys(schedule.rates ?? {})) seen.add(kind);
      for (const event of schedule.events ?? []) seen.add(event.kind);
    }
    expect([...seen].sort()).toEqual([...CHAOS_KINDS].sort());
  });

  it('shrinks to no chaos at all', () => {
    const details = fc.check(
      fc.property(chaosSchedule(), () => false),
      { seed: 4 },
    );
    expect(details.counterexample?.[0]).toEqual({});
  });

  it('shrinks a failure that needs a crash to a single crash at 0 ms with no downtime', () => {
    const details = fc.check(
      fc.property(chaosSchedule(), (schedule) => !schedule.events?.some((e) => e.kind === 'crash_restart')),
      { seed: 5 },
    );
    expect(details.failed).toBe(true);
    expect(details.counterexample?.[0]).toEqual({ events: [{ atMs: 0, kind: 'crash_restart' }] });
  });

  it('shrinks a failure that needs a fault rate to that rate alone, striking as often as maxRate allows', () => {
    // A fault that strikes more often shows a bug within fewer messages, so a rate that stays shrinks upwards.
    const details = fc.check(
      fc.property(chaosSchedule(), (schedule) => !((schedule.rates?.delivery_failure ?? 0) > 0)),
      { seed: 6 },
    );
    expect(details.counterexample?.[0]).toEqual({ rates: { delivery_failure: 0.1 } });
    const capped = fc.check(
      fc.property(chaosSchedule({ maxRate: 0.03 }), (schedule) => !(schedule.rates?.hang !== undefined)),
      { seed: 6 },
    );
    expect(capped.counterexample?.[0]).toEqual({ rates: { hang: 0.03 } });
  });

  it('keeps a rate the failure needs below a bound within it while shrinking upwards', () => {
    const details = fc.check(
      fc.property(chaosSchedule(), (schedule) => {
        const rate = schedule.rates?.throw ?? 0;
        return !(rate > 0 && rate <= 0.04);
      }),
      { seed: 11 },
    );
    expect(details.counterexample?.[0]).toEqual({ rates: { throw: 0.04 } });
  });

  it('shrinks a burst towards the smallest count that still fails', () => {
    const details = fc.check(
      fc.property(chaosSchedule({ kinds: ['saturation_burst'] }), (schedule) =>
        (schedule.events ?? []).every((event) => (event.count ?? 0) < 17),
      ),
      { seed: 7 },
    );
    expect(details.counterexample?.[0]).toEqual({
      events: [{ atMs: 0, kind: 'saturation_burst', count: 17 }],
    });
  });

  it('generates no rates with maxRate 0 and no events with maxEvents 0', () => {
    for (const schedule of fc.sample(chaosSchedule({ maxRate: 0 }), { seed: 8, numRuns: 50 })) {
      expect(schedule.rates).toBeUndefined();
    }
    for (const schedule of fc.sample(chaosSchedule({ maxEvents: 0 }), { seed: 9, numRuns: 50 })) {
      expect(schedule.events).toBeUndefined();
    }
  });

  it('rejects bad constraints', () => {
    expect(() => chaosSchedule({ maxRate: 2 })).toThrow(StressError);
    expect(() => chaosSchedule({ kinds: ['meteor' as never] })).toThrow(/kinds/);
    expect(() => chaosSchedule({ maxEvents: -1 })).toThrow(/maxEvents/);
    expect(() => chaosEvent({ kinds: [] })).toThrow(/kinds/);
    expect(() => chaosEvent({ agents: 0 })).toThrow(/agents/);
  });
});

describe('chaosEvent', () => {
  it('builds valid events of every shape', () => {
    fc.assert(
      fc.property(
        chaosEvent({ agents: ['a', 'b'], horizonMs: 100, maxDurationMs: 20, maxBurst: 5 }),
        (event) => {
          const [resolved] = validateChaosSchedule({ events: [event] }).events;
          expect(resolved).toEqual(event);
          if (event.agent !== undefined) expect(['a', 'b']).toContain(event.agent);
          if (event.kind === 'saturation_burst') expect(event.count).toBeLessThanOrEqual(5);
        },
      ),
      { seed: 10, numRuns: 300 },
    );
  });
});
