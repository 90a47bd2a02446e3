import { describe, expect, it } from 'vitest';
import { createRingTarget } from '../../../fixtures/targets/ring-target.ts';
import { runStress } from '../../../src/engine/index.ts';

// The engine benchmark measures the engine around this target; its figures only mean something if the target
// delivers every unit once and accounts for every failure.
describe('ring target (the benchmark pipeline as a stress target)', () => {
  it('delivers the default workload once per unit with nothing lost', async () => {
    const report = await runStress({ target: createRingTarget() });
    expect(report.ok, report.failures.join('\n')).toBe(true);
    expect(report.invariants).toMatchObject({ sent: 900, delivered: 900, duplicated: 0, lost: 0 });
    expect(report.metrics.by_agent['Agent-9']).toBe(100);
  });

  it('dead-letters a failed unit at once, so conservation holds under failures', async () => {
    const report = await runStress({
      target: createRingTarget(2),
      arrival: { kind: 'burst', size: 100, gapMs: 1 },
      chaos: { rates: { delivery_failure: 0.2, throw: 0.1 } },
    });
    expect(report.invariants.dead_lettered).toBeGreaterThan(100);
    expect(report.invariants.lost).toBe(0);
    expect(report.invariants.conservation.holds).toBe(true);
    expect(report.ok).toBe(true);
  });
});
