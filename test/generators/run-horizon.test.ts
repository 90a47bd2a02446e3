import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createSimpleTarget } from '../../fixtures/targets/simple-processor.ts';
import { createWorkload, SeededRandom } from '../../src/engine/index.ts';
import {
  chaosInRun,
  chaosWithinRun,
  checkStressProperty,
  formatStressPropertyFailure,
  runHorizonMs,
  stressProperty,
  workloadOptions,
} from '../../src/generators/index.ts';

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

  it('places relative chaos on each workload: same share of the horizon, agents among its own', () => {
    const { place } = chaosInRun();
    const relative = {
      rates: { delivery_failure: 0.01 },
      events: [
        { atMs: 5000, kind: 'crash_restart' as const, durationMs: 40 },
        { atMs: 10_000, kind: 'agent_full' as const, durationMs: 5, agent: 'Agent-1000' },
        { atMs: 0, kind: 'agent_full' as const, durationMs: 5, agent: 'Agent-1' },
      ],
    };
    // 9 x 100 at 25/s per agent: a 4,000 ms horizon.
    expect(place(relative, {})).toEqual({
      rates: { delivery_failure: 0.01 },
      events: [
        { atMs: 2000, kind: 'crash_restart', durationMs: 40 },
        { atMs: 4000, kind: 'agent_full', durationMs: 5, agent: 'Agent-9' },
        { atMs: 0, kind: 'agent_full', durationMs: 5, agent: 'Agent-1' },
      ],
    });
    expect(
      place(relative, { agents: 2, messagesPerAgent: 10 }).events?.map((e) => [
        e.atMs,
        'agent' in e ? e.agent : null,
      ]),
    ).toEqual([
      [200, null],
      [400, 'Agent-2'],
      [0, 'Agent-1'],
    ]);
    expect(place(relative, { agents: ['a', 'b', 'c'], messagesPerAgent: 10 }).events?.[1]).toMatchObject({
      agent: 'c',
    });
    expect(place({}, {})).toEqual({});
  });

  it('shrinks the workload of a crash bug while the crash keeps its place in the run', async () => {
    const { createJobTableTarget } = await import('../../fixtures/targets/job-table.ts');
    const property = stressProperty({ target: createJobTableTarget({ bug: 'loses-running-on-restart' }) });
    const result = await checkStressProperty(property, { seed: 5001, numRuns: 25 });
    const failure = result.failure;
    expect(failure, 'the property should fail').not.toBeNull();
    const text = failure === null ? '' : formatStressPropertyFailure(failure);
    const { workload, chaos } = failure?.counterexample ?? { workload: {}, chaos: {} };
    expect(workload.agents as number, text).toBeLessThanOrEqual(3);
    expect(workload.messagesPerAgent as number, text).toBeLessThanOrEqual(50);
    expect(chaos.events?.length ?? 0, text).toBeLessThanOrEqual(5);
    expect(
      chaos.events?.some((event) => event.kind === 'crash_restart'),
      text,
    ).toBe(true);
  });
});
