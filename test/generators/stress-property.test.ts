import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createSimpleTarget } from '../../fixtures/targets/simple-processor.ts';
import {
  chaosSchedule,
  type StressCase,
  stressProperty,
  workloadOptions,
} from '../../src/generators/index.ts';
import { StressError } from '../../src/protocol/index.ts';

const small = { agents: 2, messagesPerAgent: 10 };

describe('stressProperty', () => {
  it('runs the engine once per generated case and passes when every report is ok', async () => {
    const seen: StressCase[] = [];
    const p = stressProperty({
      target: createSimpleTarget(),
      options: small,
      chaos: chaosSchedule({ kinds: ['delivery_failure', 'latency_spike'] }),
      check: (report, stressCase) => {
        seen.push(stressCase);
        expect(report.invariants.sent).toBe(20);
      },
    });
    await fc.assert(p.property, { seed: 1, numRuns: 15 });
    expect(seen).toHaveLength(15);
    expect(new Set(seen.map((c) => c.seed)).size).toBeGreaterThan(1);
  });

  it('fails a case whose report is not ok, and keeps that report', async () => {
    const p = stressProperty({
      target: createSimpleTarget('drops-failed'),
      options: small,
      seed: 5,
      chaos: fc.constant({ rates: { delivery_failure: 0.5 } }),
    });
    const details = await fc.check(p.property, { seed: 1, numRuns: 1 });
    expect(details.failed).toBe(true);
    const stressCase = details.counterexample?.[0] as StressCase;
    expect(stressCase).toMatchObject({ seed: 5, chaos: { rates: { delivery_failure: 0.5 } } });
    // The fixed options' run, shrunk (the default workload starts there).
    expect(stressCase.workload.agents as number).toBeLessThanOrEqual(small.agents as number);
    expect(StressError.is(details.errorInstance, 'ERR_STRESS_FAILED')).toBe(true);
    expect((details.errorInstance as Error).message).toContain('lost');
    expect(p.reportOf(stressCase)?.invariants.lost).toBeGreaterThan(0);
  });

  it('fails a case whose check returns false or throws, even when the report is ok', async () => {
    for (const check of [
      () => false,
      () => Promise.resolve(false),
      () => {
        throw new Error('too slow');
      },
    ]) {
      const p = stressProperty({
        target: createSimpleTarget(),
        options: small,
        seed: 1,
        chaos: fc.constant({}),
        check,
      });
      const details = await fc.check(p.property, { seed: 1, numRuns: 3 });
      expect(details.failed).toBe(true);
      expect(p.reportOf(details.counterexample?.[0] as StressCase)?.ok).toBe(true);
    }
  });

  it('passes a failing report when requireOk is false and the check accepts it', async () => {
    const p = stressProperty({
      target: createSimpleTarget('drops-failed'),
      options: small,
      chaos: fc.constant({ rates: { delivery_failure: 0.5 } }),
      requireOk: false,
      check: (report) => report.invariants.lost > 0,
    });
    const details = await fc.check(p.property, { seed: 1, numRuns: 5 });
    expect(details.failed).toBe(false);
  });

  it('lets generated workload fields replace the fixed options', async () => {
    const p = stressProperty({
      target: createSimpleTarget(),
      options: { agents: 7, profile: 'exactly-once' },
      workload: workloadOptions({ maxAgents: 3, maxDeliveries: 30 }),
      chaos: fc.constant({}),
    });
    await fc.assert(
      fc.asyncProperty(p.arbitrary, async (stressCase) => {
        const report = await p.runCase(stressCase);
        expect(report.metrics.run.agents).toBe(stressCase.workload.agents);
        expect(report.invariants.profile).toBe('exactly-once');
      }),
      { seed: 2, numRuns: 10 },
    );
  });

  it('rejects bad options', () => {
    expect(() => stressProperty({} as never)).toThrow(/`target`/);
    expect(() => stressProperty(null as never)).toThrow(StressError);
    expect(() => stressProperty({ target: createSimpleTarget(), check: 3 as never })).toThrow(/`check`/);
  });
});
