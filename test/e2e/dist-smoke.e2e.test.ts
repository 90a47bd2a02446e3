import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readRunFile, runFixtureProject } from './run-fixture-project.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const built = existsSync(`${ROOT}dist/vitest/index.js`);

// `npm test` builds before it runs Vitest; without a build there is nothing to smoke-test.
describe.skipIf(!built)('the built package (dist/)', () => {
  it('resolves every entry point through package.json exports', () => {
    const script = `
      const v = await import('vitest-stress/vitest');
      const env = (await import('vitest-stress/environment')).default;
      const Reporter = (await import('vitest-stress/reporter')).default;
      const root = await import('vitest-stress');
      console.log(JSON.stringify({
        vitest: ['defineStressProject', 'stressPlugin', 'stressTest', 'stressMatchers', 'fc'].map((k) => typeof v[k]),
        environment: [env.name, typeof env.setup],
        reporter: new Reporter({}).stressReporter,
        root: typeof root.StressError,
      }));`;
    const output = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    expect(JSON.parse(output)).toEqual({
      vitest: ['function', 'function', 'function', 'object', 'object'],
      environment: ['vitest-stress', 'function'],
      reporter: true,
      root: 'function',
    });
  });

  it('runs a stress project on dist/: environment, setup, fixtures, matchers and reporter', async () => {
    const run = await runFixtureProject('dist-smoke');
    expect(run.exitCode, run.output).toBe(0);
    const file = readRunFile(run);
    expect(file.tests).toEqual([
      expect.objectContaining({ state: 'passed', runs: 1, isolation: { mode: 'block', violations: [] } }),
    ]);
  });
});
