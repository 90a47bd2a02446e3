import type { StressTestResult } from '../report/stress-test-record.ts';

/** What the Jest environment keeps next to the shared environment state, for the test file and itself. */
export interface JestFileState {
  /** Suite and test names of the running test (from jest-circus's `test_start`), as Vitest joins them with ` > `. */
  currentTest: readonly string[] | undefined;
  /** Per-test results the file's stress tests recorded, by the ` > ` joined name. */
  readonly results: Map<string, StressTestResult>;
}

/** Where the Jest environment puts its {@link JestFileState}; a `Symbol.for` key, shared by CJS and ESM copies. */
export const JEST_FILE_STATE_KEY: unique symbol = Symbol.for('vitest-stress.jest-file');

/** The Jest file state in this test file's global, or undefined outside the stress Jest environment. */
export function getJestFileState(): JestFileState | undefined {
  return (globalThis as { [JEST_FILE_STATE_KEY]?: JestFileState })[JEST_FILE_STATE_KEY];
}
