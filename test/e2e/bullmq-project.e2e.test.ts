import { describe, expect, it, vi } from 'vitest';
import { BULLMQ_PLANTED_BUGS } from '../../fixtures/targets/bullmq-workers.ts';
import { readRunFile, runFixtureProject } from './run-fixture-project.ts';

const REPLAY = /^\s*STRESS_SEED=(-?\d+) STRESS_PATH=([\d:]+) npx vitest run --project stress -t "(.+)"$/m;

/** The planted bugs by the name their test has in workers.stress.test.ts. */
const TESTS = {
  'correct worker': null,
  'acks before delivery': BULLMQ_PLANTED_BUGS['acks-before-delivery'].invariant,
  'no stalled-job handling': BULLMQ_PLANTED_BUGS['no-stalled-handling'].invariant,
  'retry setting drops jobs': BULLMQ_PLANTED_BUGS['drops-retries'].invariant,
} as const;

// A developer's REDIS_URL would point the project at their own server: it tests the embedded one.
vi.stubEnv('REDIS_URL', '');

describe('a stress project with BullMQ workers on an embedded redis-server (fixtures/vitest-projects/bullmq)', () => {
  it('passes the correct worker under broker faults and fails each planted bug on its invariant', async () => {
    const run = await runFixtureProject('bullmq', {
      config: { testNamePattern: `^(${Object.keys(TESTS).join('|')})$` },
    });
    expect(run.exitCode, run.output).toBe(1);
    // The property in the other file is filtered out (recorded as skipped).
    const tests = readRunFile(run).tests.filter((test) => test.state !== 'skipped');
    expect(tests.map((test) => test.name).sort()).toEqual(Object.keys(TESTS).sort());
    for (const test of tests) {
      const invariant = TESTS[test.name as keyof typeof TESTS];
      const chaos = test.metrics?.chaos ?? {};
      expect(chaos, test.name).toMatchObject({ broker_restart: 1, broker_pause: 1, connection_drop: 1 });
      expect(test.metrics?.run.clock).toBe('real');
      expect(test.metrics?.run.notes?.join('\n')).toMatch(/isolation allowance: loopback connections/);
      expect(test.isolation.violations, test.name).toEqual([]);
      if (invariant === null) {
        expect(test.state, run.output).toBe('passed');
        expect(test.invariants).toMatchObject({ lost: 0, stuck: 0, valid: true });
      } else {
        expect(test.state, test.name).toBe('failed');
        expect(test.invariants?.[invariant], `${test.name}: ${invariant}`).toBeGreaterThan(0);
      }
    }
  });

  it('prints a replay line for a failing broker-fault property that fails again with the same counterexample', async () => {
    const first = await runFixtureProject('bullmq', {
      config: { testNamePattern: 'loses messages under broker faults' },
    });
    expect(first.exitCode, first.output).toBe(1);
    expect(first.output).toContain('Counterexample:');
    const match = REPLAY.exec(first.output);
    expect(match, first.output).not.toBeNull();
    const [, seed, path, pattern] = match!;
    expect(readRunFile(first).tests[0]?.invariants?.lost).toBeGreaterThan(0);

    const replay = await runFixtureProject('bullmq', {
      env: { STRESS_SEED: seed, STRESS_PATH: path },
      config: { testNamePattern: pattern!.replaceAll('\\"', '"') },
    });
    expect(replay.exitCode, replay.output).toBe(1);
    // The generated input (workload, fault rates, broker fault schedule) is replayed exactly; the real-time
    // interleaving is not, so the lost count may differ while the verdict (lost > 0) repeats.
    expect(replay.output).toContain('Stress property failed after 1 run (0 shrinks)');
    const counterexample = (output: string) => /Counterexample:\n(?:.+\n){3}/.exec(output)?.[0];
    expect(counterexample(replay.output)).toBe(counterexample(first.output));
    expect(readRunFile(replay).tests[0]?.invariants?.lost).toBeGreaterThan(0);
  });
});
