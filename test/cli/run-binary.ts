import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/** The repository root and the built binary the tests run (`npm test` builds it first). */
export const ROOT = resolve(import.meta.dirname, '../..');
export const BINARY = join(ROOT, 'dist/cli/main.js');

/** What one run of the binary did. */
export interface BinaryRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** A scratch directory for one test: the binary's working directory, with its own TMPDIR inside. */
export interface Sandbox {
  readonly cwd: string;
  readonly tmp: string;
  /** Files under `<cwd>/<dir>` (default `logs`), sorted; empty when the directory does not exist. */
  files(dir?: string): string[];
  readJson<T = unknown>(path: string): T;
  remove(): void;
}

/** Creates a sandbox under the system temp directory. */
export function createSandbox(): Sandbox {
  const cwd = mkdtempSync(join(tmpdir(), 'vitest-stress-cli-'));
  const tmp = join(cwd, '.tmp');
  mkdirSync(tmp);
  return {
    cwd,
    tmp,
    files: (dir = 'logs') => {
      const path = join(cwd, dir);
      return existsSync(path) ? readdirSync(path).sort() : [];
    },
    readJson: <T>(path: string) => JSON.parse(readFileSync(resolve(cwd, path), 'utf8')) as T,
    remove: () => rmSync(cwd, { recursive: true, force: true }),
  };
}

/**
 * Runs the built `vitest-stress` binary as a child process in `cwd`, with TMPDIR pointed inside the sandbox and
 * no GitHub step summary (so a CI job's summary is never appended to by a test).
 */
export function runBinary(
  args: readonly string[],
  options: { cwd: string; tmp?: string; env?: NodeJS.ProcessEnv },
): Promise<BinaryRun> {
  if (!existsSync(BINARY))
    throw new Error(`${BINARY} is missing: run \`npm run build\` first (npm test does).`);
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', ...options.env };
  delete env.GITHUB_STEP_SUMMARY;
  delete env.VITEST_STRESS_DEBUG;
  if (options.tmp !== undefined) env.TMPDIR = options.tmp;
  return new Promise((done) => {
    execFile(
      process.execPath,
      [BINARY, ...args],
      { cwd: options.cwd, env, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : 1;
        done({ code, stdout, stderr });
      },
    );
  });
}
