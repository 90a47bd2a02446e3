import { describe, expect, it } from 'vitest';
import { PLANTED_BUGS, type PlantedBugScenario } from '../../../fixtures/targets/planted-bugs.ts';
import { createSimpleTarget } from '../../../fixtures/targets/simple-processor.ts';
import { CHAOS_KINDS, runStress } from '../../../src/engine/index.ts';
import {
  chaosSchedule,
  checkStressProperty,
  formatStressPropertyFailure,
  type StressPropertyFailure,
  stressProperty,
} from '../../../src/generators/index.ts';

// Fixed fast-check seeds keep these tests deterministic; any seed finds each bug within the run budget.
const SEED = 20_240_601;

function propertyFor(scenario: PlantedBugScenario) {
  return stressProperty({
    target: createSimpleTarget(scenario.bug),
    options: { profile: scenario.profile },
    chaos: chaosSchedule({ kinds: scenario.chaosKinds }),
  });
}

/** A schedule is small when at most one fault is left: one rate or one event. */
function faultCount(failure: StressPropertyFailure): number {
  const { rates = {}, events = [] } = failure.counterexample.chaos;
  return Object.keys(rates).length + events.length;
}

describe('planted bugs are caught, shrunk and replayable', () => {
  it('lists every planted bug once', () => {
    expect(PLANTED_BUGS.map((scenario) => scenario.bug).sort()).toEqual([
      'breaks-fifo',
      'drops-failed',
      'ignores-priority',
      'redelivers-uncounted',
      'stuck-after-crash',
    ]);
  });

  for (const scenario of PLANTED_BUGS) {
    it(`catches ${scenario.bug} through ${scenario.invariant}`, async () => {
      const property = propertyFor(scenario);
      const result = await checkStressProperty(property, { seed: SEED, numRuns: 100 });
      expect(result.ok).toBe(false);
      const failure = result.failure as StressPropertyFailure;
      expect(failure, 'the property should fail').not.toBeNull();
      // Caught by the right invariant, visible in the report and in the failure lines.
      expect(result.report?.invariants[scenario.invariant]).toBeGreaterThan(0);
      expect(failure.failures.length).toBeGreaterThan(0);
      // Shrunk: at most two faults of the generated schedule are left (the default workload shrinks too, and
      // a one-delivery run may need a second fault, e.g. a latency spike that keeps it in flight at a crash).
      expect(faultCount(failure), formatStressPropertyFailure(failure)).toBeLessThanOrEqual(2);
      // The default workload starts at the test's 9 x 100, so a counterexample is always shrunk.
      expect(failure.numShrinks).toBeGreaterThan(0);
      expect(JSON.parse(JSON.stringify(failure))).toEqual(failure);
      // Replays from the printed seed and path: fails on the first run with the same counterexample.
      const replay = await checkStressProperty(property, failure.replay);
      expect(replay.numRuns).toBe(1);
      expect(replay.failure?.counterexample).toEqual(failure.counterexample);
      expect(replay.failure?.failures).toEqual(failure.failures);
    });
  }

  it('shrinks stuck-after-crash to a single crash at time 0', async () => {
    const scenario = PLANTED_BUGS.find((s) => s.bug === 'stuck-after-crash') as PlantedBugScenario;
    const result = await checkStressProperty(propertyFor(scenario), { seed: SEED, numRuns: 100 });
    expect(result.failure?.counterexample.chaos.events).toEqual([{ atMs: 0, kind: 'crash_restart' }]);
    expect(result.failure?.description.chaos).toMatch(/events: crash_restart at 0 ms$/);
    // The default workload shrinks from 9 x 100 to one agent and one delivery.
    expect(result.failure?.counterexample.workload).toEqual({ agents: 1, messagesPerAgent: 1 });
  });

  it('shrinks drops-failed to one small delivery fault', async () => {
    const scenario = PLANTED_BUGS.find((s) => s.bug === 'drops-failed') as PlantedBugScenario;
    const result = await checkStressProperty(propertyFor(scenario), { seed: SEED, numRuns: 100 });
    const { rates = {}, events = [] } = result.failure?.counterexample.chaos ?? {};
    const faults = [...Object.keys(rates), ...events.map((event) => event.kind)];
    expect(faults).toHaveLength(1);
    expect(['delivery_failure', 'throw']).toContain(faults[0]);
    for (const rate of Object.values(rates)) expect(rate).toBeLessThanOrEqual(0.01);
    for (const event of events) expect(event.durationMs ?? 0).toBeLessThanOrEqual(50);
    expect(result.report?.invariants.lost).toBeGreaterThan(0);
  });

  it('only catches redelivers-uncounted under exactly-once: duplicates are allowed at least once', async () => {
    const target = createSimpleTarget('redelivers-uncounted');
    const atLeastOnce = await runStress({ target });
    expect(atLeastOnce.ok).toBe(true);
    expect(atLeastOnce.invariants.duplicated).toBeGreaterThan(0);
    const exactlyOnce = await runStress({ target, profile: 'exactly-once' });
    expect(exactlyOnce.ok).toBe(false);
    expect(exactlyOnce.invariants.duplicated).toBe(atLeastOnce.invariants.duplicated);
  });

  it('lets the clean simple processor pass generated chaos it can take', async () => {
    // It has no delivery timeout, so a hung delivery would stall it by design: leave `hang` out.
    const kinds = CHAOS_KINDS.filter((kind) => kind !== 'hang');
    const property = stressProperty({ target: createSimpleTarget(), chaos: chaosSchedule({ kinds }) });
    const result = await checkStressProperty(property, { seed: SEED, numRuns: 40 });
    expect(result.failure === null ? '' : formatStressPropertyFailure(result.failure)).toBe('');
    expect(result).toMatchObject({ ok: true, numRuns: 40, interrupted: false });
  });

  it('would catch the clean processor stalling on a hung delivery', async () => {
    const report = await runStress({
      target: createSimpleTarget(),
      agents: 2,
      messagesPerAgent: 10,
      chaos: { events: [{ atMs: 0, kind: 'hang', durationMs: 1 }] },
    });
    expect(report.ok).toBe(false);
    expect(report.drain.status).toBe('stalled');
  });
});
