import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../../src/engine/clock/virtual-clock.ts';
import { DEFAULT_LATENCY } from '../../../src/engine/mock-core/latency-model.ts';
import { resolveMockMessagingCoreOptions } from '../../../src/engine/mock-core/mock-messaging-core-options.ts';
import { SeededRandom } from '../../../src/engine/workload/seeded-random.ts';

const base = { clock: new VirtualClock(), random: new SeededRandom(1), sink: { onDelivery: () => {} } };

describe('resolveMockMessagingCoreOptions', () => {
  it('applies defaults and lets agents inherit the core settings', () => {
    const resolved = resolveMockMessagingCoreOptions({
      ...base,
      successRate: 0.9,
      agents: { 'Agent-1': { full: true }, 'Agent-2': { successRate: 0.5, latency: { kind: 'none' } } },
    });
    expect(resolved.latency).toEqual(DEFAULT_LATENCY);
    expect(resolved.recentCapacity).toBe(100);
    expect(resolved.chaos).toBeUndefined();
    expect(resolved.agents.get('Agent-1')).toEqual({
      latency: DEFAULT_LATENCY,
      successRate: 0.9,
      full: true,
    });
    expect(resolved.agents.get('Agent-2')).toEqual({
      latency: { kind: 'none' },
      successRate: 0.5,
      full: false,
    });
  });

  it.each([
    [{ clock: {} }, /`clock` to be a Clock/],
    [{ random: { nextFloat: () => 0 } }, /`random` to be a SeededRandom/],
    [{ chaos: {} }, /`chaos` to be a ChaosInjector/],
    [{ agents: [] }, /`agents` to be an object/],
    [{ agents: { 'Agent-1': null } }, /`agents.Agent-1` to be an object/],
    [{ agents: { 'Agent-1': { successRate: -1 } } }, /`agents.Agent-1.successRate`/],
  ])('rejects %j', (override, message) => {
    expect(() => resolveMockMessagingCoreOptions({ ...base, ...(override as object) })).toThrow(message);
  });
});
