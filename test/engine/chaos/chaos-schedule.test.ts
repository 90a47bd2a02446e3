import { describe, expect, it } from 'vitest';
import {
  CHAOS_KINDS,
  CHAOS_OUTCOME_KINDS,
  CHAOS_RATE_KINDS,
  describeChaosSchedule,
} from '../../../src/engine/chaos/chaos-schedule.ts';
import { validateChaosSchedule } from '../../../src/engine/chaos/validate-chaos-schedule.ts';

describe('chaos kinds', () => {
  it('gives a rate to every kind but the run-level ones', () => {
    expect(new Set(CHAOS_RATE_KINDS).size).toBe(CHAOS_RATE_KINDS.length);
    expect(CHAOS_KINDS.filter((kind) => !(CHAOS_RATE_KINDS as readonly string[]).includes(kind))).toEqual([
      'crash_restart',
      'saturation_burst',
    ]);
    expect(CHAOS_OUTCOME_KINDS.every((kind) => (CHAOS_KINDS as readonly string[]).includes(kind))).toBe(true);
  });
});

describe('describeChaosSchedule', () => {
  it('says "no chaos" for an empty schedule', () => {
    expect(describeChaosSchedule(validateChaosSchedule({ rates: { hang: 0 } }))).toBe('no chaos');
  });

  it('lists rates as percentages with their ranges, then events', () => {
    const schedule = validateChaosSchedule({
      rates: { delivery_failure: 0.01, latency_spike: 0.05, agent_slow: 0.125 },
      events: [
        { atMs: 1000, kind: 'crash_restart', durationMs: 100 },
        { atMs: 500, kind: 'agent_full', agent: 'Agent-1', durationMs: 200 },
        { atMs: 1500, kind: 'saturation_burst', count: 50 },
      ],
    });
    expect(describeChaosSchedule(schedule)).toBe(
      'rates: delivery_failure 1%, latency_spike 5% (0-500 ms), agent_slow 12.5% (50-250 ms); ' +
        'events: agent_full Agent-1 at 500 ms for 200 ms; crash_restart at 1000 ms for 100 ms; ' +
        'saturation_burst x50 at 1500 ms',
    );
    expect(
      describeChaosSchedule(validateChaosSchedule({ events: [{ atMs: 0, kind: 'crash_restart' }] })),
    ).toBe('rates: none; events: crash_restart at 0 ms');
  });
});
