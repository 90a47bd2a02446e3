import { describe, expect, it } from 'vitest';
import { DEFAULT_SLOW, DEFAULT_SPIKE } from '../../../src/engine/chaos/chaos-schedule.ts';
import { validateChaosSchedule } from '../../../src/engine/chaos/validate-chaos-schedule.ts';
import { StressError } from '../../../src/protocol/index.ts';

function errorOf(input: unknown): StressError {
  try {
    validateChaosSchedule(input);
  } catch (error) {
    if (StressError.is(error)) return error;
    throw error;
  }
  throw new Error('expected validateChaosSchedule to throw');
}

describe('validateChaosSchedule', () => {
  it('fills the defaults', () => {
    const empty = { rates: {}, spike: DEFAULT_SPIKE, slow: DEFAULT_SLOW, events: [] };
    expect(validateChaosSchedule(undefined)).toEqual(empty);
    expect(validateChaosSchedule({})).toEqual(empty);
    expect(DEFAULT_SPIKE).toEqual({ minMs: 0, maxMs: 500 });
  });

  it('keeps valid rates and events, sorting events by time (ties keep their order)', () => {
    const schedule = validateChaosSchedule({
      rates: { hang: 0.1, store_write_failure: 1 },
      spike: { minMs: 10, maxMs: 20 },
      events: [
        { atMs: 300, kind: 'crash_restart' },
        { atMs: 100, kind: 'agent_full', agent: 'Agent-2', durationMs: 50 },
        { atMs: 100, kind: 'saturation_burst', count: 10 },
      ],
    });
    expect(schedule.rates).toEqual({ hang: 0.1, store_write_failure: 1 });
    expect(schedule.spike).toEqual({ minMs: 10, maxMs: 20 });
    expect(schedule.events.map((event) => event.kind)).toEqual([
      'agent_full',
      'saturation_burst',
      'crash_restart',
    ]);
    expect(schedule.events[2]).toEqual({ atMs: 300, kind: 'crash_restart' });
    expect(JSON.parse(JSON.stringify(schedule))).toEqual(schedule);
  });

  it.each([
    ['chaos', 'not an object', /chaos schedule object/],
    ['chaos.extra', { extra: 1 }, /absent \(known keys/],
    ['chaos.rates.hang', { rates: { hang: 1.5 } }, /probability from 0 to 1, got `1.5`/],
    ['chaos.rates.crash_restart', { rates: { crash_restart: 0.1 } }, /absent/],
    ['chaos.rates', { rates: { throw: 0.6, hang: 0.6 } }, /summing to at most 1/],
    ['chaos.spike.maxMs', { spike: { minMs: 5, maxMs: 1 } }, /at least `minMs`/],
    ['chaos.slow', { slow: [] }, /`\{ minMs, maxMs \}`/],
    ['chaos.events', { events: {} }, /array of chaos events/],
    ['chaos.events[0].kind', { events: [{ atMs: 0, kind: 'meteor' }] }, /one of "delivery_failure"/],
    ['chaos.events[0].atMs', { events: [{ atMs: -1, kind: 'crash_restart' }] }, /milliseconds from 0/],
    ['chaos.events[0].durationMs', { events: [{ atMs: 0, kind: 'agent_full' }] }, /above 0/],
    ['chaos.events[0].durationMs', { events: [{ atMs: 0, kind: 'hang', durationMs: 0 }] }, /above 0/],
    [
      'chaos.events[0].agent',
      { events: [{ atMs: 0, kind: 'hang', durationMs: 1, agent: '../x' }] },
      /safe agent id/,
    ],
    ['chaos.events[0].agent', { events: [{ atMs: 0, kind: 'crash_restart', agent: 'Agent-1' }] }, /absent/],
    ['chaos.events[0].count', { events: [{ atMs: 0, kind: 'saturation_burst' }] }, /integer from 1/],
    [
      'chaos.events[0].agent',
      { events: [{ atMs: 0, kind: 'saturation_burst', count: 5, agent: 'Agent-1' }] },
      /absent for "saturation_burst"/,
    ],
    [
      'chaos.events[0].durationMs',
      { events: [{ atMs: 0, kind: 'saturation_burst', count: 5, durationMs: 100 }] },
      /absent for "saturation_burst"/,
    ],
    [
      'chaos.events[0].count',
      { events: [{ atMs: 0, kind: 'hang', durationMs: 1, count: 2 }] },
      /only "saturation_burst"/,
    ],
  ])('rejects %s', (path, input, message) => {
    const error = errorOf(input);
    expect(error.code).toBe('ERR_INVALID_OPTION');
    expect(error.details.path).toBe(path);
    expect(error.message).toMatch(message);
  });
});
