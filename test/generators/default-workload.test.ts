import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PLANTED_BUGS, type PlantedBugScenario } from '../../fixtures/targets/planted-bugs.ts';
import { createSimpleTarget } from '../../fixtures/targets/simple-processor.ts';
import type { WorkloadOptions } from '../../src/engine/index.ts';
import {
  chaosSchedule,
  chaosWithinRun,
  checkStressProperty,
  defaultWorkload,
  formatStressPropertyFailure,
  stressProperty,
} from '../../src/generators/index.ts';

describe('the default workload starts at the run asked for and shrinks', () => {
  it('always generates the fixed options’ size (9 x 100 by default)', () => {
    expect(
      new Set(fc.sample(defaultWorkload({}), { seed: 1, numRuns: 50 }).map((w) => JSON.stringify(w))),
    ).toEqual(new Set([JSON.stringify({ agents: 9, messagesPerAgent: 100 })]));
    expect(fc.sample(defaultWorkload({ agents: 3, messagesPerAgent: 7 }), { seed: 1, numRuns: 1 })).toEqual([
      { agents: 3, messagesPerAgent: 7 },
    ]);
    // Agent-sent types need two agents; explicit agent ids are kept.
    const texts = defaultWorkload({ typeMix: { text: 1 } });
    expect(
      fc.check(
        fc.property(texts, () => false),
        { seed: 1 },
      ).counterexample,
    ).toEqual([{ agents: 2, messagesPerAgent: 1 }]);
    expect(fc.sample(defaultWorkload({ agents: ['a', 'b'] }), { seed: 1, numRuns: 1 })).toEqual([
      { messagesPerAgent: 100 },
    ]);
  });

  it('leaves invalid fixed sizes to the engine, which refuses them with a coded error', () => {
    expect(fc.sample(defaultWorkload({ messagesPerAgent: 0 }), { seed: 1, numRuns: 1 })).toEqual([{}]);
    expect(fc.sample(defaultWorkload({ agents: 1.5 }), { seed: 1, numRuns: 1 })).toEqual([{}]);
  });

  // Bugs that show with one agent and a few messages: the counterexample must say so.
  const small = ['drops-failed', 'stuck-after-crash', 'redelivers-uncounted'] as const;
  for (const bug of small) {
    it(`shrinks ${bug} to <= 3 agents, <= 50 messages per agent, <= 5 events`, async () => {
      const scenario = PLANTED_BUGS.find((s) => s.bug === bug) as PlantedBugScenario;
      const property = stressProperty({
        target: createSimpleTarget(bug),
        options: { profile: scenario.profile },
        chaos: (workload: WorkloadOptions) =>
          chaosSchedule({ ...chaosWithinRun(workload), kinds: scenario.chaosKinds }),
      });
      const result = await checkStressProperty(property, { seed: 20_240_601, numRuns: 100 });
      const failure = result.failure;
      expect(failure, 'the property should fail').not.toBeNull();
      const text = failure === null ? '' : formatStressPropertyFailure(failure);
      const { workload, chaos } = failure?.counterexample ?? { workload: {}, chaos: {} };
      expect(workload.agents as number, text).toBeLessThanOrEqual(3);
      expect(workload.messagesPerAgent as number, text).toBeLessThanOrEqual(50);
      expect(chaos.events?.length ?? 0, text).toBeLessThanOrEqual(5);
      expect(result.report?.invariants[scenario.invariant]).toBeGreaterThan(0);
    });
  }
});
