import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stripVTControlCharacters } from 'node:util';
import { afterAll } from 'vitest';
import type { RunMetricsFile } from '../../src/report/index.ts';
import { tempDir } from '../support/temp-dir.ts';

/** Root of the small Jest projects the e2e tests run. */
export const JEST_PROJECTS = fileURLToPath(new URL('../../fixtures/jest-projects/', import.meta.url));
const REPO = fileURLToPath(new URL('../../', import.meta.url));
const JEST_BIN = join(dirname(createRequire(import.meta.url).resolve('jest/package.json')), 'bin/jest.js');

// The fixtures import `vitest-stress/...` as a user's project would: through node_modules, to the built package.
const LINK = join(JEST_PROJECTS, 'node_modules', 'vitest-stress');
if (!existsSync(LINK)) {
  const { mkdirSync } = await import('node:fs');
  mkdirSync(join(JEST_PROJECTS, 'node_modules'), { recursive: true });
  symlinkSync(REPO, LINK, 'dir');
  afterAll(() => rmSync(join(JEST_PROJECTS, 'node_modules'), { recursive: true, force: true }));
}

/** What one real Jest run of a fixture project left behind. */
export interface JestRun {
  readonly exitCode: number;
  readonly output: string;
  readonly outDir: string;
  readonly metricsFiles: readonly string[];
}

/** Runs the real Jest CLI on `fixtures/jest-projects/<name>` with `args`, in a child process. */
export async function runJestProject(
  name: string,
  args: readonly string[],
  options: { env?: Readonly<Record<string, string>>; outDir?: string; esm?: boolean } = {},
): Promise<JestRun> {
  const outDir = options.outDir ?? tempDir(`vitest-stress-jest-${name}-`);
  const env: Record<string, string | undefined> = {
    ...process.env,
    NO_COLOR: '1',
    STRESS_E2E_OUT: outDir,
    GITHUB_STEP_SUMMARY: '',
    STRESS_SEED: undefined,
    STRESS_PATH: undefined,
    STRESS_NUM_RUNS: undefined,
    VITEST: undefined,
    VITEST_WORKER_ID: undefined,
    VITEST_POOL_ID: undefined,
    NODE_OPTIONS: options.esm ? '--experimental-vm-modules --no-warnings' : '',
    ...options.env,
  };
  for (const key of Object.keys(env)) if (env[key] === undefined) delete env[key];
  const child = spawn(process.execPath, [JEST_BIN, '--ci', '--selectProjects', 'stress', ...args], {
    cwd: join(JEST_PROJECTS, name),
    env: env as NodeJS.ProcessEnv,
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exitCode = await new Promise<number>((done) => child.on('close', (code) => done(code ?? -1)));
  const files = existsSync(outDir) ? readdirSync(outDir).sort() : [];
  return {
    exitCode,
    output: stripVTControlCharacters(output),
    outDir,
    metricsFiles: files.filter((file) => file.endsWith('.json')).map((file) => join(outDir, file)),
  };
}

/** The one metrics file a run wrote (fails with the run's output otherwise). */
export function onlyMetricsFile(run: JestRun): RunMetricsFile {
  if (run.metricsFiles.length !== 1) {
    throw new Error(
      `Expected one metrics file in ${run.outDir}, got ${run.metricsFiles.length}:\n${run.output}`,
    );
  }
  return JSON.parse(readFileSync(run.metricsFiles[0]!, 'utf8')) as RunMetricsFile;
}
