import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/run-cli.ts';
import type { RunMetricsFile } from '../../src/report/index.ts';
import { validateRunMetricsFile } from '../../src/report/validate-run-metrics-file.ts';
import { tempDir } from '../support/temp-dir.ts';
import { type JestRun, onlyMetricsFile, runJestProject } from './run-jest-project.ts';

let whole: RunMetricsFile | undefined;

/** Runs the CLI in this process, collecting what it prints. */
async function cli(argv: readonly string[]): Promise<{ code: number; text: string }> {
  let text = '';
  const sink = {
    write: (chunk: string) => {
      text += chunk;
      return true;
    },
  };
  const code = await runCli(argv, { stdout: sink, stderr: sink, cwd: process.cwd(), env: { NO_COLOR: '1' } });
  return { code, text };
}

// Real Jest 30 runs of fixtures/jest-projects/*, against the built package (npm run build first).
describe('the Jest front end, under real Jest', () => {
  it('runs a CommonJS ts-jest project: typed matchers, per-test overrides, the same metrics schema', async () => {
    const run = await runJestProject('cjs-ts-jest', ['-i']);
    expect(run.exitCode, run.output).toBe(0);
    const file = onlyMetricsFile(run);
    expect(validateRunMetricsFile(file).valid).toBe(true);
    expect(file.verdict.ok).toBe(true);
    expect(file.tests.map((test) => [test.name, test.file, test.project, test.state])).toEqual([
      ['delivers', 'a.stress.test.ts', 'stress', 'passed'],
      ['twenty agents', 'a.stress.test.ts', 'stress', 'passed'],
    ]);
    expect(file.tests[1]?.metrics?.run.agents).toBe(20);
    expect(file.tests[0]?.isolation.mode).toBe('block');
  });

  it('runs an ESM project (--experimental-vm-modules) with a docblock pragma, in parallel workers', async () => {
    const run = await runJestProject('esm', [], { esm: true });
    expect(run.exitCode, run.output).toBe(0);
    const file = onlyMetricsFile(run);
    whole = file;
    expect(file.tests.map((test) => [test.name, test.file])).toEqual([
      ['first file > delivers everything', 'first.stress.test.js'],
      ['takes the file pragma', 'second.stress.test.js'],
    ]);
    expect(file.tests[1]?.metrics?.run).toMatchObject({ agents: 4, seed: 7 });
  });

  it('writes one metrics file per shard; `vitest-stress merge` rebuilds the whole run exactly', async () => {
    const shards = await Promise.all(
      ['1/2', '2/2'].map((shard) => runJestProject('esm', [`--shard=${shard}`], { esm: true })),
    );
    const names = shards.map((run) => {
      expect(run.exitCode, run.output).toBe(0);
      return onlyMetricsFile(run).tests.map((test) => test.name);
    });
    expect(names.flat().sort()).toEqual(['first file > delivers everything', 'takes the file pragma']);
    expect(names.every((list) => list.length === 1)).toBe(true);
    const files = shards.map((run: JestRun) => run.metricsFiles[0]!);
    const out = tempDir('vitest-stress-merge-');
    const merged = await cli(['merge', ...files, '--shards', '2', '--out', out]);
    expect(merged.code, merged.text).toBe(0);
    const file = onlyMetricsFile({
      exitCode: 0,
      output: merged.text,
      outDir: out,
      metricsFiles: [`${out}/${readdirSync(out).find((name) => name.endsWith('.json'))}`],
    });
    // Virtual clock, same seeds: the merged totals equal the unsharded run's (histograms merged, not averaged).
    expect(file.totals).toEqual(whole?.totals);
    expect(file.tests.map((test) => test.name)).toEqual(whole?.tests.map((test) => test.name));
    // A missing shard and a shard given twice are errors (exit 2), not a smaller report.
    expect((await cli(['merge', files[0]!, '--shards', '2', '--out', out])).code).toBe(2);
    const twice = await cli(['merge', files[0]!, files[0]!, '--shards', '2', '--out', out]);
    expect(twice.code).toBe(2);
    expect(twice.text).toContain('twice');
  });

  it('fails the run on a threshold although every test body passed', async () => {
    const run = await runJestProject('failing', ['-i', '--testPathPatterns', 'threshold'], {
      env: { STRESS_E2E_THRESHOLD: '1' },
    });
    expect(run.exitCode, run.output).toBe(1);
    expect(run.output).toMatch(/Tests:\s+1 passed, 1 total/);
    const file = onlyMetricsFile(run);
    expect(file.verdict).toMatchObject({ ok: false, passed: 1, threshold_failures: 1 });
  });

  it('passes the same file when the threshold is not set (the failure above is the threshold)', async () => {
    const run = await runJestProject('failing', ['-i', '--testPathPatterns', 'threshold']);
    expect(run.exitCode, run.output).toBe(0);
    expect(onlyMetricsFile(run).verdict.ok).toBe(true);
  });

  it('fails a test that escapes the isolation guard by name, and the run for a plain test that does', async () => {
    const run = await runJestProject('failing', ['-i', '--testPathPatterns', 'escape']);
    expect(run.exitCode, run.output).toBe(1);
    const file = onlyMetricsFile(run);
    const byName = new Map(file.tests.map((test) => [test.name, test]));
    expect(byName.get('opens a socket and swallows the error')?.state).toBe('failed');
    // Jest passed the plain test; its escape still fails the run through the reporter.
    expect(byName.get('a plain test that escapes too')?.state).toBe('passed');
    expect(byName.get('a plain test that escapes too')?.isolation.violations).toHaveLength(1);
    expect(file.verdict.isolation_violations).toBe(2);
  });

  it('blocks forbidden modules loaded through the module registry of Jest, CommonJS and ESM', async () => {
    const cjs = await runJestProject('failing', ['-i', '--testPathPatterns', 'real-core\\.stress']);
    expect(cjs.exitCode, cjs.output).toBe(1);
    const [required] = onlyMetricsFile(cjs).tests;
    expect(required?.state, cjs.output).toBe('failed');
    expect(required?.isolation.violations[0]).toMatchObject({ kind: 'module', api: 'require' });
    expect(required?.isolation.violations[0]?.target).toMatch(/support[\\/]real-delivery\.js$/);

    const esm = await runJestProject('failing', ['-i', '--testPathPatterns', 'real-core-esm'], { esm: true });
    expect(esm.exitCode, esm.output).toBe(1);
    const [imported] = onlyMetricsFile(esm).tests;
    expect(imported?.state, esm.output).toBe('failed');
    expect(imported?.isolation.violations[0]).toMatchObject({ kind: 'module', api: 'import' });
    // The production entry is refused itself, before the core it exports is loaded.
    expect(imported?.isolation.violations[0]?.target).toMatch(/dist[\\/]production\.js$/);
  });

  it('fails the run for escapes outside any test (module top level, beforeAll), saying where', async () => {
    const run = await runJestProject('failing', ['-i', '--testPathPatterns', 'stray']);
    expect(run.exitCode, run.output).toBe(1);
    const file = onlyMetricsFile(run);
    expect(file.tests[0]?.state).toBe('passed');
    const strays = file.verdict.reasons.filter((reason) => reason.includes('outside a running test'));
    expect(strays).toHaveLength(2);
    for (const reason of strays) {
      expect(reason).toMatch(
        /^isolation violation outside a running test in stray\.stress\.test\.js: outside any test/,
      );
      expect(reason).toContain('127.0.0.1:9');
    }
  });

  it('blames the test that scheduled a timer, not the test running when it fires', async () => {
    const run = await runJestProject('failing', [
      '-i',
      '--testPathPatterns',
      'blame',
      '--maxConcurrency',
      '2',
    ]);
    expect(run.exitCode, run.output).toBe(1);
    const file = onlyMetricsFile(run);
    const byName = new Map(file.tests.map((test) => [test.name, test]));
    expect(byName.get('blame: innocent while that timer fires')).toMatchObject({
      state: 'passed',
      isolation: { violations: [] },
    });
    // test.concurrent: an escape made before the next concurrent test starts stays with the test that made it.
    for (const innocent of ['blame: concurrent quick', 'blame: concurrent innocent']) {
      expect(byName.get(innocent)).toMatchObject({ state: 'passed', isolation: { violations: [] } });
    }
    expect(byName.get('blame: concurrent escape')?.isolation.violations).toEqual([
      expect.objectContaining({ kind: 'network', target: expect.stringContaining('127.0.0.1:9') }),
    ]);
    expect(file.verdict.reasons.filter((reason) => reason.includes('outside a running test'))).toEqual([
      expect.stringMatching(
        /^isolation violation outside a running test in blame\.stress\.test\.js: from work test "blame: schedules a connection and returns" scheduled, after that test had finished: .*127\.0\.0\.1:9/,
      ),
    ]);
  });

  it('prints a replay line for a failing chaos property that fails again at once', async () => {
    const run = await runJestProject('failing', ['-i', '--testPathPatterns', 'chaos']);
    expect(run.exitCode, run.output).toBe(1);
    const line = /(STRESS_SEED=(-?\d+) STRESS_PATH=([\d:]+) npx jest --selectProjects stress -t "(.+)")/.exec(
      run.output,
    );
    expect(line, run.output).not.toBeNull();
    const [, , seed, path, pattern] = line!;
    expect(onlyMetricsFile(run).tests[0]?.replay).toMatchObject({ seed: Number(seed), path });
    // Every CommonJS file of the project (the ES module one needs --experimental-vm-modules).
    const replay = await runJestProject(
      'failing',
      ['-i', '--testPathIgnorePatterns', '\\.mjs$', '-t', pattern!.replaceAll('\\"', '"')],
      {
        env: { STRESS_SEED: seed!, STRESS_PATH: path! },
      },
    );
    expect(replay.exitCode, replay.output).toBe(1);
    expect(replay.output).toMatch(/Tests:\s+1 failed, 10 skipped, 11 total/);
    // Shrunk already: the replay runs the counterexample first, then shrinks no further.
    expect(onlyMetricsFile(replay).tests[0]?.replay).toMatchObject({ seed: Number(seed), path });
  });
});
