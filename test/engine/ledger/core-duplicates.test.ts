import { describe, expect, it } from 'vitest';
import { createSimpleTarget } from '../../../fixtures/targets/simple-processor.ts';
import { runStress } from '../../../src/engine/index.ts';
import { createReferenceTarget } from '../../../src/reference/reference-target.ts';

// Chaos where the mock core itself delivers twice (duplicate_delivery) or lies that a delivery failed
// (delivered_reported_failed), so a processor that retries, as it must, delivers again.
const chaos = { rates: { duplicate_delivery: 0.1, delivered_reported_failed: 0.1 } };
const base = { agents: 4, messagesPerAgent: 40, seed: 11, profile: 'exactly-once', chaos } as const;

describe('exactly-once tells the core duplicates from the processor', () => {
  it('passes a correct processor whose only duplicates are the core', async () => {
    for (const target of [createSimpleTarget(), createReferenceTarget()]) {
      const report = await runStress({ ...base, target });
      expect(report.metrics.chaos.duplicate_delivery).toBeGreaterThan(0);
      expect(report.metrics.chaos.delivered_reported_failed).toBeGreaterThan(0);
      // The core's duplicates are still counted as deliveries beyond the first...
      expect(report.invariants.duplicate_deliveries).toBeGreaterThan(0);
      // ...but not held against the processor.
      expect(report.invariants.duplicated).toBe(0);
      expect(report.invariants.violations).toEqual([]);
      expect(report.ok).toBe(true);
    }
  });

  it('still fails a processor that redelivers on its own, under the same chaos', async () => {
    const report = await runStress({ ...base, target: createSimpleTarget('redelivers-uncounted') });
    expect(report.ok).toBe(false);
    expect(report.invariants.duplicated).toBeGreaterThan(0);
    expect(report.invariants.violations.join('\n')).toMatch(/delivered more than once by the processor/);
  });
});

describe('exactly-once under generated chaos', () => {
  it('passes a correct processor over generated cases, and fails one that redelivers', async () => {
    const {
      chaosSchedule,
      chaosWithinRun,
      checkStressProperty,
      formatStressPropertyFailure,
      stressProperty,
    } = await import('../../../src/generators/index.ts');
    const { CHAOS_KINDS } = await import('../../../src/engine/index.ts');
    // Every kind the simple processor can take (it has no delivery timeout, so no hang), the core's duplicates included.
    const kinds = CHAOS_KINDS.filter((kind) => kind !== 'hang');
    const chaos = (workload: object) => chaosSchedule({ ...chaosWithinRun(workload), kinds, maxRate: 0.2 });
    const options = { profile: 'exactly-once', agents: 3, messagesPerAgent: 40 } as const;
    const correct = stressProperty({ target: createSimpleTarget(), options, chaos });
    const result = await checkStressProperty(correct, { seed: 42, numRuns: 40 });
    expect(result.failure === null ? '' : formatStressPropertyFailure(result.failure)).toBe('');
    const broken = stressProperty({ target: createSimpleTarget('redelivers-uncounted'), options, chaos });
    const caught = await checkStressProperty(broken, { seed: 42, numRuns: 40 });
    expect(caught.report?.invariants.duplicated).toBeGreaterThan(0);
  });
});
