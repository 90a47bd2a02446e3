import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createSimpleTarget } from '../../fixtures/targets/simple-processor.ts';
import { createWorkload, SeededRandom } from '../../src/engine/index.ts';
import { chaosWithinRun, runHorizonMs, stressProperty, workloadOptions } from '../../src/generators/index.ts';

describe('chaos events land within each case’s own run', () => {
  it('derives the horizon from the workload’s planned send times', () => {
    expect(runHorizonMs({})).toBe(4000); // 9 x 100 at 25/s per agent
    expect(runHorizonMs({ agents: 2, messagesPerAgent: 10 })).toBe(400);
    expect(runHorizonMs({ agents: 2, messagesPerAgent: 10, arrival: { kind: 'burst' } })).toBe(1);
    // Run options other than the workload's timing do not matter.
    expect(runHorizonMs({ agents: 2, messagesPerAgent: 10, runId: 'x' })).toBe(400);
    expect(chaosWithinRun({ agents: 2, messagesPerAgent: 10 })).toEqual({ horizonMs: 400, agents: 2 });
    // An invalid workload is the engine's to refuse when the case runs: the defaults here.
    expect(chaosWithinRun({ agents: 0 })).toEqual({});
  });

  it('places every generated crash (and every other timed event) inside the generated run', () => {
    const property = stressProperty({ target: createSimpleTarget(), workload: workloadOptions() });
    const cases = fc.sample(property.arbitrary, { seed: 5, numRuns: 400 });
    let crashes = 0;
    for (const stressCase of cases) {
      const planned = createWorkload(stressCase.workload, new SeededRandom(0)).plannedDurationMs;
      for (const event of stressCase.chaos.events ?? []) {
        if (event.kind === 'crash_restart') crashes++;
        expect(event.atMs).toBeLessThanOrEqual(Math.max(1, Math.ceil(planned)));
        if (event.agent !== undefined) {
          const agents = stressCase.workload.agents as number;
          expect(Number(event.agent.slice('Agent-'.length))).toBeLessThanOrEqual(agents);
        }
      }
    }
    expect(crashes).toBeGreaterThan(20);
  });

  it('uses the fixed options’ workload when the workload is not generated', () => {
    const property = stressProperty({
      target: createSimpleTarget(),
      options: { agents: 2, messagesPerAgent: 10 },
    });
    const events = fc
      .sample(property.arbitrary, { seed: 6, numRuns: 300 })
      .flatMap((c) => c.chaos.events ?? []);
    expect(events.length).toBeGreaterThan(50);
    for (const event of events) expect(event.atMs).toBeLessThanOrEqual(400);
  });

  it('keeps a chaos arbitrary the user gives as it is', () => {
    const property = stressProperty({
      target: createSimpleTarget(),
      chaos: fc.constant({ events: [{ atMs: 9000, kind: 'crash_restart' as const }] }),
    });
    expect(fc.sample(property.arbitrary, { seed: 1, numRuns: 3 })[0]?.chaos.events?.[0]?.atMs).toBe(9000);
  });
});
