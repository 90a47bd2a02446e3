import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createSimpleTarget } from '../../fixtures/targets/simple-processor.ts';
import {
  chaosSchedule,
  checkStressProperty,
  formatStressPropertyFailure,
  stressProperty,
} from '../../src/generators/index.ts';
import { StressError } from '../../src/protocol/index.ts';

const dropsFailed = () =>
  stressProperty({
    target: createSimpleTarget('drops-failed'),
    options: { agents: 3, messagesPerAgent: 30 },
    chaos: chaosSchedule({ kinds: ['delivery_failure', 'latency_spike', 'saturation_burst'] }),
  });

describe('checkStressProperty', () => {
  it('passes a property that holds, reporting the runs', async () => {
    const p = stressProperty({
      target: createSimpleTarget(),
      options: { agents: 2, messagesPerAgent: 10 },
      chaos: chaosSchedule({ kinds: ['delivery_failure', 'throw'] }),
    });
    const result = await checkStressProperty(p, { seed: 3, numRuns: 12 });
    expect(result).toEqual({
      ok: true,
      seed: 3,
      numRuns: 12,
      interrupted: false,
      failure: null,
      report: null,
    });
  });

  it('returns a JSON-plain, shrunk failure with the report and how to replay it', async () => {
    const p = dropsFailed();
    const result = await checkStressProperty(p, { seed: 11, numRuns: 100 });
    const failure = result.failure;
    expect(result.ok).toBe(false);
    expect(failure).not.toBeNull();
    if (failure === null) return;
    expect(JSON.parse(JSON.stringify(failure))).toEqual(failure);
    expect(failure.seed).toBe(11);
    expect(failure.path).toMatch(/^\d+(:\d+)*$/);
    expect(failure.replay).toEqual({ seed: 11, path: failure.path, endOnFailure: true });
    expect(failure.numShrinks).toBeGreaterThan(0);
    expect(failure.failures).toEqual(result.report?.failures);
    expect(failure.failures[0]).toMatch(/lost/);
    // The default workload starts at the fixed 3 x 30 and shrinks towards the smallest run that still fails.
    expect(failure.description.workload).toMatch(/^[1-3] agents? x \d+ deliveries/);
    expect(failure.counterexample.workload.messagesPerAgent as number).toBeLessThan(30);
    expect(failure.description.chaos).toMatch(/delivery_failure/);
    expect(result.report?.ok).toBe(false);
  });

  it('replays a failure from its seed and path on the first run', async () => {
    const p = dropsFailed();
    const first = await checkStressProperty(p, { seed: 12, numRuns: 100 });
    const replay = await checkStressProperty(dropsFailed(), {
      seed: first.failure?.seed as number,
      path: first.failure?.path as string,
    });
    expect(replay.numRuns).toBe(1);
    expect(replay.failure?.numShrinks).toBe(0);
    expect(replay.failure?.counterexample).toEqual(first.failure?.counterexample);
    expect(replay.failure?.path).toBe(first.failure?.path);
  });

  it('adds the error of a failing check to the failures', async () => {
    const p = stressProperty({
      target: createSimpleTarget(),
      options: { agents: 2, messagesPerAgent: 5 },
      chaos: fc.constant({}),
      seed: 1,
      check: (report) => {
        if (report.metrics.total_processed > 5)
          throw new Error(`processed ${report.metrics.total_processed}`);
      },
    });
    const result = await checkStressProperty(p, { seed: 1, numRuns: 1 });
    // Shrunk from the fixed 2 x 5 to the smallest run that still processes more than 5.
    expect(result.failure?.failures).toEqual(['processed 6']);
    expect(result.report?.ok).toBe(true);
  });

  it('reports an engine error thrown by a case', async () => {
    const p = stressProperty({
      target: createSimpleTarget(),
      options: { agents: 2, messagesPerAgent: 5 },
      chaos: fc.constant({}),
      workload: fc.constant({ agents: 0 }),
    });
    const result = await checkStressProperty(p, { seed: 1, numRuns: 1 });
    expect(result.report).toBeNull();
    expect(result.failure?.failures[0]).toMatch(/Expected `agents` to be/);
    expect(result.failure?.description.workload).toMatch(/^invalid/);
  });

  it('stops at the time limit and counts an interrupt before any failure as a pass', async () => {
    const p = stressProperty({ target: createSimpleTarget(), chaos: fc.constant({}) });
    const result = await checkStressProperty(p, { seed: 1, numRuns: 10_000, timeLimitMs: 500 });
    expect(result.ok).toBe(true);
    expect(result.interrupted).toBe(true);
    expect(result.numRuns).toBeLessThan(10_000);
  });

  it('rejects bad options', async () => {
    const p = dropsFailed();
    const bad = async (options: object) => {
      try {
        await checkStressProperty(p, options);
      } catch (error) {
        expect(StressError.is(error, 'ERR_INVALID_OPTION')).toBe(true);
        return (error as Error).message;
      }
      throw new Error('expected a rejection');
    };
    expect(await bad({ path: '1:2' })).toMatch(/`seed`/);
    expect(await bad({ seed: 1, path: 'one' })).toMatch(/`path`/);
    expect(await bad({ seed: 0.5 })).toMatch(/`seed`/);
    expect(await bad({ numRuns: 0 })).toMatch(/`numRuns`/);
    expect(await bad({ timeLimitMs: -1 })).toMatch(/`timeLimitMs`/);
  });
});

describe('formatStressPropertyFailure', () => {
  it('prints the counterexample, the failures and the replay block', async () => {
    const result = await checkStressProperty(dropsFailed(), { seed: 11, numRuns: 100 });
    const failure = result.failure;
    if (failure === null) throw new Error('expected a failure');
    const text = formatStressPropertyFailure(failure);
    expect(text).toContain(`Stress property failed after ${failure.numRuns} run`);
    expect(text).toContain(`engine seed: ${failure.counterexample.seed}`);
    expect(text).toContain(`workload: ${failure.description.workload}`);
    expect(text).toContain(`chaos: ${failure.description.chaos}`);
    expect(text).toContain(`  - ${failure.failures[0]}`);
    expect(text.split('\n').at(-1)).toBe(`Replay: { seed: 11, path: "${failure.path}", endOnFailure: true }`);
  });
});
