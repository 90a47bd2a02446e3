import { describe, expect, it } from 'vitest';
import {
  CHAOS_PRESET_NAMES,
  chaosPreset,
  isChaosPresetName,
} from '../../../src/engine/chaos/chaos-presets.ts';
import { CHAOS_KINDS } from '../../../src/engine/chaos/chaos-schedule.ts';
import { validateChaosSchedule } from '../../../src/engine/chaos/validate-chaos-schedule.ts';
import { resolveLatencyModel } from '../../../src/engine/mock-core/latency-model.ts';
import { findNonJsonValue } from '../../../src/protocol/index.ts';

describe('chaos presets', () => {
  it.each(CHAOS_PRESET_NAMES)('%s is valid JSON-plain data', (name) => {
    const preset = chaosPreset(name);
    expect(preset.name).toBe(name);
    expect(findNonJsonValue(preset)).toBeUndefined();
    expect(() => validateChaosSchedule(preset.schedule)).not.toThrow();
    expect(resolveLatencyModel(preset.latency)).toEqual(preset.latency);
    expect(preset.successRate).toBeGreaterThan(0);
    expect(preset.successRate).toBeLessThanOrEqual(1);
  });

  it('none injects nothing', () => {
    const preset = chaosPreset('none');
    expect(preset.successRate).toBe(1);
    expect(validateChaosSchedule(preset.schedule)).toMatchObject({ rates: {}, events: [] });
  });

  it('original maps the original chaos mode: 1% instant failures, 5% spikes of 0-500 ms, 1-10 ms, 95%', () => {
    const preset = chaosPreset('original');
    expect(preset.schedule).toEqual({
      rates: { delivery_failure: 0.01, latency_spike: 0.05 },
      spike: { minMs: 0, maxMs: 500 },
      events: [],
    });
    expect(preset.latency).toEqual({ kind: 'uniform', minMs: 1, maxMs: 10 });
    expect(preset.successRate).toBe(0.95);
    expect(preset.description).toContain('94.05%');
  });

  it('harsh uses every fault kind, with at least two crash/restarts', () => {
    const schedule = validateChaosSchedule(chaosPreset('harsh').schedule);
    const used = new Set([
      ...Object.entries(schedule.rates).flatMap(([kind, rate]) => ((rate ?? 0) > 0 ? [kind] : [])),
      ...schedule.events.map((event) => event.kind),
    ]);
    expect([...used].sort()).toEqual([...CHAOS_KINDS].sort());
    expect(schedule.events.filter((event) => event.kind === 'crash_restart').length).toBeGreaterThanOrEqual(
      2,
    );
  });

  it('returns a copy each time and rejects unknown names', () => {
    const a = chaosPreset('harsh');
    (a.schedule.rates as Record<string, number>).hang = 1;
    expect(chaosPreset('harsh').schedule.rates?.hang).toBe(0.005);
    expect(isChaosPresetName('original')).toBe(true);
    expect(isChaosPresetName('chaos')).toBe(false);
    expect(() => chaosPreset('wild')).toThrow(
      /`chaos preset` to be one of "none", "original", "harsh", got "wild"/,
    );
  });
});
