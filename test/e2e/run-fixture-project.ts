import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { stripVTControlCharacters } from 'node:util';
import { startVitest, type TestUserConfig } from 'vitest/node';
import type { RunMetricsFile } from '../../src/report/index.ts';
import { tempDir } from '../support/temp-dir.ts';

/** Root of the small Vitest projects the e2e tests run. */
export const PROJECTS = fileURLToPath(new URL('../../fixtures/vitest-projects/', import.meta.url));

/** What one real Vitest run of a fixture project left behind. */
export interface FixtureRun {
  readonly exitCode: number;
  /** Everything Vitest and the reporters printed, without colour codes. */
  readonly output: string;
  /** Where the stress reporter wrote (STRESS_E2E_OUT). */
  readonly outDir: string;
  readonly metricsFiles: readonly string[];
  readonly summaryFiles: readonly string[];
}

/** Options of {@link runFixtureProject}. */
export interface FixtureRunOptions {
  /** Environment variables for the run (restored afterwards). */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** CLI-level options, as `--shard`, `--reporter` or `--merge-reports` would set them. */
  readonly config?: TestUserConfig;
  /** Output directory of the stress reporter. @default a fresh temporary directory */
  readonly outDir?: string;
}

/** Collects what Vitest prints; it stays open, as process.stdout does, when worker output piped into it ends. */
class Collector extends Writable {
  text = '';
  override _write(chunk: Buffer | string, _encoding: string, done: () => void): void {
    this.text += chunk.toString();
    done();
  }
  override end(): this {
    return this;
  }
}

/**
 * Runs `vitest run` on `fixtures/vitest-projects/<name>` in this process with `startVitest`, capturing its
 * output and exit code (and restoring this process's own exit code and environment afterwards).
 */
export async function runFixtureProject(name: string, options: FixtureRunOptions = {}): Promise<FixtureRun> {
  const outDir = options.outDir ?? tempDir(`vitest-stress-e2e-${name}-`);
  const variables: Record<string, string | undefined> = {
    NO_COLOR: '1',
    STRESS_E2E_OUT: outDir,
    // A CI job's step summary and a developer's replay variables must not leak into the fixture runs.
    GITHUB_STEP_SUMMARY: '',
    STRESS_SEED: undefined,
    STRESS_PATH: undefined,
    STRESS_NUM_RUNS: undefined,
    ...options.env,
  };
  const saved = Object.fromEntries(Object.keys(variables).map((key) => [key, process.env[key]]));
  const savedExitCode = process.exitCode;
  for (const [key, value] of Object.entries(variables)) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
  const stdout = new Collector();
  const stderr = new Collector();
  process.exitCode = 0;
  let exitCode: number;
  try {
    const vitest = await startVitest(
      'test',
      [],
      { root: join(PROJECTS, name), run: true, watch: false, reporters: ['default'], ...options.config },
      {},
      { stdout, stderr },
    );
    await vitest.close();
    exitCode = Number(process.exitCode ?? 0);
  } finally {
    process.exitCode = savedExitCode;
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  }
  const files = readdirSync(outDir).sort();
  return {
    exitCode,
    // Vitest's own colours follow this process's terminal, whatever NO_COLOR says to the run.
    output: stripVTControlCharacters(`${stdout.text}${stderr.text}`),
    outDir,
    metricsFiles: files.filter((file) => file.endsWith('.json')).map((file) => join(outDir, file)),
    summaryFiles: files.filter((file) => file.endsWith('.md')).map((file) => join(outDir, file)),
  };
}

/** Reads the one metrics file a run wrote. */
export function readRunFile(run: FixtureRun): RunMetricsFile {
  if (run.metricsFiles.length !== 1) {
    throw new Error(
      `Expected one metrics file in ${run.outDir}, got ${run.metricsFiles.length}:\n${run.output}`,
    );
  }
  return JSON.parse(readFileSync(run.metricsFiles[0]!, 'utf8')) as RunMetricsFile;
}
