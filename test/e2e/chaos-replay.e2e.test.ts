import { describe, expect, it } from 'vitest';
import { readRunFile, runFixtureProject } from './run-fixture-project.ts';

const REPLAY = /^\s*STRESS_SEED=(-?\d+) STRESS_PATH=([\d:]+) npx vitest run --project stress -t "(.+)"$/m;

describe('a failing chaos property (fixtures/vitest-projects/chaos-failure)', () => {
  it('prints the seed, path, shrunk schedule and a replay line that fails again at once', async () => {
    const first = await runFixtureProject('chaos-failure');
    expect(first.exitCode, first.output).toBe(1);
    expect(first.output).toContain('Counterexample:');
    expect(first.output).toMatch(/chaos: .*delivery_failure/);
    const match = REPLAY.exec(first.output);
    expect(match, first.output).not.toBeNull();
    const [, seed, path, pattern] = match!;

    const recorded = readRunFile(first).tests[0]!;
    expect(recorded.replay).toMatchObject({
      seed: Number(seed),
      path,
      command: expect.stringContaining(path!),
    });
    expect(recorded.replay?.counterexample).toContain('Counterexample:');
    expect(recorded.invariants?.lost).toBeGreaterThan(0);

    const replay = await runFixtureProject('chaos-failure', {
      env: { STRESS_SEED: seed, STRESS_PATH: path },
      config: { testNamePattern: pattern!.replaceAll('\\"', '"') },
    });
    expect(replay.exitCode, replay.output).toBe(1);
    expect(replay.output).toContain('Stress property failed after 1 run (0 shrinks)');
    const counterexample = (output: string) => /Counterexample:\n(?:.+\n){3}/.exec(output)?.[0];
    expect(counterexample(replay.output)).toBe(counterexample(first.output));
  });
});
