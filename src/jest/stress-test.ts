import { expect, test } from '@jest/globals';
import {
  type ChaosPropertyBody,
  type ChaosPropertyOptions,
  runChaosProperty,
} from '../suite/chaos-property.ts';
import { getStressEnvironment } from '../suite/environment-state.ts';
import { createStressFixture, type StressFixture } from '../suite/stress-fixture.ts';
import {
  type ResolvedStressProjectOptions,
  resolveStressProjectOptions,
} from '../suite/stress-project-options.ts';
import { layerSettings, type StressRunSettings } from '../suite/stress-settings.ts';
import { readStressVariables } from '../suite/stress-variables.ts';
import { finishSession, type SessionTask, startSession } from '../suite/test-session.ts';
import { validateStressSettings } from '../suite/validate-settings.ts';
import { getJestFileState } from './jest-environment-state.ts';
import './matchers.ts';

/** Per-test options of a Jest stress test: its settings, the last configuration layer, and a timeout. */
export interface JestStressTestOptions {
  /** Settings of this test over the project's (and the file's `@stress` pragma). @default {} */
  readonly stress?: StressRunSettings;
  /** Timeout in ms. @default the project's `testTimeout` */
  readonly timeout?: number;
}

/** What a Jest stress test's body receives: the `stress` fixture, as Vitest's fixture context has it. */
export interface JestStressContext {
  readonly stress: StressFixture;
}

/** The body of a Jest stress test. */
export type JestStressTestBody = (context: JestStressContext) => unknown;

/** The options of the project this file runs in: from the stress Jest environment, else the defaults. */
export function currentJestProjectOptions(): ResolvedStressProjectOptions {
  return getStressEnvironment()?.options ?? resolveStressProjectOptions({});
}

/** The running test as a session task: its suites and name joined with ` > `, as in Vitest and the metrics file. */
function currentTask(): SessionTask {
  const names = getJestFileState()?.currentTest;
  const name = names?.join(' > ') ?? expect.getState().currentTestName ?? 'unnamed test';
  return { id: name, name, meta: {} };
}

/** Runs `body` inside the test's session; stores its result for the environment and fails on an escape. */
async function inSession(
  options: JestStressTestOptions,
  body: (stress: StressFixture, task: SessionTask) => Promise<unknown>,
): Promise<void> {
  const task = currentTask();
  const session = startSession(task);
  const project = currentJestProjectOptions();
  const settings = layerSettings(
    project.settings,
    options.stress === undefined ? undefined : validateStressSettings(options.stress, 'stress'),
  );
  let failure: unknown;
  try {
    await body(createStressFixture(session, project, settings, 'jest'), task);
  } catch (error) {
    failure = error;
  }
  const isolationError = finishSession(task);
  const result = (task.meta as { stressResult?: never }).stressResult;
  if (result !== undefined) getJestFileState()?.results.set(task.name, result);
  if (failure !== undefined) throw failure;
  if (isolationError !== undefined) throw isolationError;
}

function declare(name: string, rest: readonly unknown[]): void {
  const [first, second] = rest;
  const options = (typeof first === 'function' ? {} : (first ?? {})) as JestStressTestOptions;
  const body = (typeof first === 'function' ? first : second) as JestStressTestBody | undefined;
  if (typeof body !== 'function') {
    throw new TypeError(`[vitest-stress] Expected stressTest("${name}") to get a body function.`);
  }
  const project = currentJestProjectOptions();
  test(
    name,
    () => inSession(options, (stress) => Promise.resolve(body({ stress }))),
    options.timeout ?? project.testTimeout,
  );
}

/**
 * Declares a chaos property under Jest: generated message mixes and chaos schedules through the engine with
 * fast-check; a failure reports the seed, path, shrunk schedule and the `npx jest` line that replays it.
 */
function chaos(
  name: string,
  options: ChaosPropertyOptions & JestStressTestOptions = {},
  body?: ChaosPropertyBody,
): void {
  const project = currentJestProjectOptions();
  const budget = options.timeLimitMs ?? project.propertyTimeLimitMs;
  test(
    name,
    () =>
      inSession(options, async (stress, task) => {
        await runChaosProperty(stress, startSession(task), readStressVariables(), options, body);
      }),
    options.timeout ?? Math.max(project.testTimeout, budget * 2 + 10_000),
  );
}

/** `stressTest` for Jest, with its chaos-property helper. */
export interface JestStressTestAPI {
  (name: string, body: JestStressTestBody): void;
  (name: string, options: JestStressTestOptions, body: JestStressTestBody): void;
  readonly chaos: typeof chaos;
}

/**
 * Jest's `test` with the `stress` fixture. Settings layer as project (`testEnvironmentOptions.stress`) < the file's
 * `@stress` docblock pragma < `{ stress: {...} }` per test < `stress.run(overrides)`.
 * @example
 * stressTest('20 agents', { stress: { agents: 20 } }, async ({ stress }) => {
 *   expect(await stress.run()).toHaveDeliveredEverything();
 * });
 */
export const stressTest: JestStressTestAPI = Object.assign(
  (name: string, ...rest: unknown[]): void => declare(name, rest),
  { chaos },
);
