import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { BenchResult } from './bench-result.ts';

// The Jest front end's cost per test file, as `jest` wall times in a fresh process (ESM, no transform, in band).
// fixtures/jest-projects/bench-stress and bench-plain hold the same six tests, through the plugin and on plain
// Jest with the engine API; the slope between 1 and 6 files is the per-file cost, as in plugin.bench.ts.
const ROOT = fileURLToPath(new URL('../', import.meta.url));
const PROJECTS = join(ROOT, 'fixtures/jest-projects');
const JEST = join(dirname(createRequire(import.meta.url).resolve('jest/package.json')), 'bin/jest.js');
const REPEATS = 5;

function wallMs(project: string, files: number, outDir: string): number {
  const filters = Array.from({ length: files }, (_, i) => `file-${i + 1}\\.`);
  const started = performance.now();
  const result = spawnSync(
    process.execPath,
    [JEST, '--config', join(PROJECTS, project, 'jest.config.js'), '--runInBand', ...filters],
    {
      cwd: join(PROJECTS, project),
      env: {
        ...process.env,
        NODE_OPTIONS: '--experimental-vm-modules --no-warnings',
        NO_COLOR: '1',
        STRESS_E2E_OUT: outDir,
        GITHUB_STEP_SUMMARY: '',
      },
      encoding: 'utf8',
    },
  );
  const elapsed = performance.now() - started;
  if (result.status !== 0) throw new Error(`jest ${project} failed:\n${result.stdout}${result.stderr}`);
  return elapsed;
}

const fastest = (project: string, files: number, outDir: string): number =>
  Math.min(...Array.from({ length: REPEATS }, () => wallMs(project, files, outDir)));

/** Measures the Jest plugin's added cost per test file against plain Jest running the same tests. */
export async function run(): Promise<BenchResult[]> {
  const outDir = mkdtempSync(join(tmpdir(), 'vitest-stress-bench-'));
  // The fixtures import `vitest-stress/...` as a user's project does: through node_modules, to this package.
  const modules = join(PROJECTS, 'node_modules');
  const linked = !existsSync(modules);
  if (linked) {
    mkdirSync(modules);
    symlinkSync(ROOT, join(modules, 'vitest-stress'), 'dir');
  }
  try {
    const plain1 = fastest('bench-plain', 1, outDir);
    const plain6 = fastest('bench-plain', 6, outDir);
    const stress1 = fastest('bench-stress', 1, outDir);
    const stress6 = fastest('bench-stress', 6, outDir);
    const plainPerFile = (plain6 - plain1) / 5;
    const stressPerFile = (stress6 - stress1) / 5;
    return [
      {
        name: 'Jest: added cost per test file (environment, guard, reporter, imports)',
        value: stressPerFile - plainPerFile,
        unit: 'ms',
        target: '<= 300 ms',
        note: `fastest of ${REPEATS}, slope 1 -> 6 files: plugin ${Math.round(stressPerFile)} ms/file, plain Jest ${Math.round(plainPerFile)} ms/file`,
      },
      {
        name: 'Jest: stress project, 6 files (wall)',
        value: stress6,
        unit: 'ms',
        baseline: { name: 'plain Jest, same 6 tests', value: plain6 },
        note: 'includes the one-off cost of loading the plugin config and writing the metrics files',
      },
    ];
  } finally {
    if (linked) rmSync(modules, { recursive: true, force: true });
    rmSync(outDir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  console.log(JSON.stringify(await run(), null, 2));
}
