import type { MockMessagingCoreOptions, StressTargetFactory } from '../engine/index.ts';
import type { IsolationGuard, IsolationViolationRecord } from '../isolation/index.ts';
import type { MessagingCore } from '../protocol/index.ts';
import type { ResolvedStressProjectOptions } from './stress-project-options.ts';

/** Where the environment puts its {@link StressEnvironmentState}; a `Symbol.for` key, shared by every module copy. */
export const STRESS_ENVIRONMENT_KEY: unique symbol = Symbol.for('vitest-stress.environment');

/**
 * What the stress environment exposes to the test file: plain data and functions only, because the environment
 * and the tests are evaluated by different module runners (an `instanceof` across them is false).
 */
export interface StressEnvironmentState {
  readonly version: 1;
  /** The project's resolved options, as `environmentOptions.stress` carried them. */
  readonly options: ResolvedStressProjectOptions;
  /** The isolation guard installed for this test file; undefined with `isolation: false`. */
  readonly guard: IsolationGuard | undefined;
  /**
   * Violations that belong to no running test (module top level, `beforeAll`/`afterAll`, late work of a finished
   * test), kept as each test starts; with what the guard still holds at the end, they fail the file and the run.
   */
  readonly strays: IsolationViolationRecord[];
  /** Builds a mock messaging core (the engine's), for tests that drive a core by hand; loaded on first use. */
  readonly createMockCore: (options: MockMessagingCoreOptions) => Promise<MessagingCore>;
  /** The default target factory (the reference MessageQueueProcessor); loaded on first use. */
  readonly createReferenceTarget: () => Promise<StressTargetFactory>;
}

/** The stress environment's state in this worker, or undefined when the file does not run in it. */
export function getStressEnvironment(): StressEnvironmentState | undefined {
  return (globalThis as { [STRESS_ENVIRONMENT_KEY]?: StressEnvironmentState })[STRESS_ENVIRONMENT_KEY];
}
