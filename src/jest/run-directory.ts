import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../io/atomic-write.ts';
import type { IsolationViolationRecord } from '../isolation/isolation-violation.ts';
import { StressError } from '../protocol/index.ts';
import type { StressTestResult } from '../report/stress-test-record.ts';

/**
 * The variable the Jest reporter sets at the start of every run to the run directory it owns; workers started
 * for the run inherit it, and the environment writes each test file's results there.
 */
export const RUN_DIRECTORY_VARIABLE = 'VITEST_STRESS_JEST_RUN_DIR';

/** What the environment writes for one test file: the results of its tests by ` > ` joined name. */
export interface FileResults {
  readonly schema_version: 1;
  readonly kind: 'vitest-stress-jest-file';
  readonly test_path: string;
  readonly results: Readonly<Record<string, StressTestResult>>;
  /** Escapes that belong to no test of the file (module top level, hooks, late work): they fail the run. */
  readonly stray_violations?: readonly IsolationViolationRecord[];
}

/** The file of `testPath`'s results in `directory`: one per test file, so parallel workers never share a file. */
export function fileResultsPath(directory: string, testPath: string): string {
  return join(directory, `${createHash('sha256').update(testPath).digest('hex').slice(0, 32)}.json`);
}

/** Writes one test file's results atomically (a reader never sees half a file). */
export async function writeFileResults(directory: string, results: FileResults): Promise<void> {
  await writeFileAtomic(fileResultsPath(directory, results.test_path), `${JSON.stringify(results)}\n`);
}

/** Reads a test file's results, or undefined when the file wrote none (no stress environment, or it crashed). */
export async function readFileResults(directory: string, testPath: string): Promise<FileResults | undefined> {
  const path = fileResultsPath(directory, testPath);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  const parsed = JSON.parse(text) as Partial<FileResults>;
  if (
    parsed.kind !== 'vitest-stress-jest-file' ||
    parsed.schema_version !== 1 ||
    parsed.test_path !== testPath
  ) {
    throw new StressError(
      'ERR_INVALID_METRICS_FILE',
      `Expected ${path} to hold the stress results of ${testPath} (schema_version 1), got ${String(parsed.test_path)} (schema_version ${String(parsed.schema_version)}).`,
      { details: { path } },
    );
  }
  return parsed as FileResults;
}
