import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { NONDETERMINISTIC_REPORT_FIELDS } from '../../src/engine/index.ts';
import type { RunMetricsFile } from '../../src/report/index.ts';
import { tempDir } from '../support/temp-dir.ts';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
// One fast-check seed for both runs, so the chaos property generates the same cases under each runner.
const SEED = '20261205';

function run(
  command: string,
  args: readonly string[],
  outDir: string,
): Promise<{ code: number; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: REPO,
      env: {
        ...process.env,
        STRESS_OUT_DIR: outDir,
        STRESS_SEED: SEED,
        GITHUB_STEP_SUMMARY: '',
        FORCE_COLOR: '0',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, output }));
  });
}

function metricsIn(directory: string): RunMetricsFile {
  const files = readdirSync(directory).filter((name) => /^stress_test_metrics_\d{8}_\d{6}\.json$/.test(name));
  expect(files).toHaveLength(1);
  return JSON.parse(readFileSync(join(directory, files[0]!), 'utf8')) as RunMetricsFile;
}

/**
 * The file with what may differ between two runs of the same seeds removed: wall-clock and environment fields
 * (`NONDETERMINISTIC_REPORT_FIELDS`, the file's `generated_at`, each test's `duration_ms`), the runner's own
 * replay command, and the test file's directory and extension (`test/stress/x.stress.test.ts` under Vitest,
 * `test/stress-jest/x.stress.test.js` under Jest).
 */
function comparable(file: RunMetricsFile): unknown {
  const wallFields = new Set(NONDETERMINISTIC_REPORT_FIELDS.map((path) => path.split('.').at(-1)!));
  const strip = (value: unknown, key?: string): unknown => {
    if (Array.isArray(value)) return value.map((item) => strip(item));
    if (value === null || typeof value !== 'object') return value;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      if (key === 'run' && wallFields.has(k)) continue;
      if (k === 'duration_ms' || k === 'generated_at' || k === 'command') continue;
      out[k] = strip(v, k);
    }
    return out;
  };
  const tests = [...file.tests]
    .map((test) => ({ ...test, file: basename(test.file).replace(/\.[cm]?[jt]s$/, '') }))
    .sort((a, b) => (a.file + a.name < b.file + b.name ? -1 : 1));
  return strip({ ...file, tests });
}

describe('npm run stress:jest: the repository stress suite under Jest', () => {
  it('passes and writes the same metrics as `npx vitest run --project stress` for the same seeds', async () => {
    const vitestOut = tempDir('vitest-stress-vitest-out-');
    const jestOut = tempDir('vitest-stress-jest-out-');
    const vitest = await run('npx', ['vitest', 'run', '--project', 'stress'], vitestOut);
    expect(vitest.code, vitest.output).toBe(0);
    const jest = await run('npm', ['run', 'stress:jest'], jestOut);
    expect(jest.code, jest.output).toBe(0);
    expect(jest.output).toMatch(/Tests:\s+8 passed, 8 total/);

    const [fromVitest, fromJest] = [metricsIn(vitestOut), metricsIn(jestOut)];
    expect(fromJest.verdict).toMatchObject({ ok: true, tests: 8, passed: 8 });
    expect(fromJest.tests.find((test) => test.property !== undefined)?.property?.cases_run).toBe(20);
    expect(comparable(fromJest)).toEqual(comparable(fromVitest));
  });
});
