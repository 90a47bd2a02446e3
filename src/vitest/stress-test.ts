import { inject, test } from 'vitest';
import {
  type ChaosPropertyBody,
  type ChaosPropertyOptions,
  runChaosProperty,
} from '../suite/chaos-property.ts';
import { getStressEnvironment } from '../suite/environment-state.ts';
import './matchers.ts';
import { createStressFixture, type StressFixture } from '../suite/stress-fixture.ts';
import {
  type ResolvedStressProjectOptions,
  resolveStressProjectOptions,
} from '../suite/stress-project-options.ts';
import { layerSettings, type StressRunSettings } from '../suite/stress-settings.ts';
import { finishSession, startSession } from '../suite/test-session.ts';
import { validateStressSettings } from '../suite/validate-settings.ts';
import { readStressVariables, STRESS_PROVIDE_KEY, type StressProvidedContext } from './stress-provided.ts';

/** The fixtures `stressTest` adds to Vitest's test context. */
export interface StressTestFixtures {
  /**
   * Settings of a describe block, over the project's: `stressTest.override({ stressConfig: { agents: 20 } })`.
   * @default {}
   */
  stressConfig: StressRunSettings;
  /** The engine for this test: `await stress.run()` returns the report and records it in the test's meta. */
  stress: StressFixture;
  /** Starts and ends the test's stress session (isolation, meta) even where the setup file is not used. */
  stressSession: undefined;
}

function provided(): StressProvidedContext | undefined {
  try {
    return inject(STRESS_PROVIDE_KEY) as StressProvidedContext | undefined;
  } catch {
    return undefined;
  }
}

/** The options of the project this file runs in: from the environment, else from `provide`, else the defaults. */
export function currentProjectOptions(): ResolvedStressProjectOptions {
  return getStressEnvironment()?.options ?? provided()?.project ?? resolveStressProjectOptions({});
}

function extendTest() {
  return test.extend<StressTestFixtures>({
    // biome-ignore lint/correctness/noEmptyPattern: Vitest requires a fixture's first argument to be destructured.
    stressConfig: async ({}, use) => {
      await use({});
    },
    stressSession: [
      async ({ task }, use) => {
        startSession(task);
        await use(undefined);
        // No-op when the project's setup file already ended the session in its afterEach hook.
        const failure = finishSession(task);
        if (failure !== undefined) throw failure;
      },
      { auto: true },
    ],
    stress: async ({ task, stressConfig, stressSession: _ }, use) => {
      const project = currentProjectOptions();
      const perTest = task.meta.stress;
      const settings = layerSettings(
        project.settings,
        validateStressSettings(stressConfig, 'stressConfig'),
        perTest === undefined ? undefined : validateStressSettings(perTest, 'meta.stress'),
      );
      await use(createStressFixture(startSession(task), project, settings));
    },
  });
}

/**
 * Declares a chaos property: fast-check generates message mixes and chaos schedules, each case runs through the
 * engine, and a failure reports the seed, path, shrunk schedule and one line that replays it.
 * @example
 * stressTest.chaos('survives random faults', { workload: workloadOptions({ maxDeliveries: 200 }) });
 */
function chaos(name: string, options: ChaosPropertyOptions = {}, body?: ChaosPropertyBody): void {
  const extended = extendedTest();
  const project = currentProjectOptions();
  const budget = options.timeLimitMs ?? project.propertyTimeLimitMs;
  extended(
    name,
    { timeout: Math.max(project.testTimeout, budget * 2 + 10_000) },
    async ({ stress, task }) => {
      const knobs = provided() ?? readStressVariables();
      await runChaosProperty(stress, startSession(task), knobs, options, body);
    },
  );
}

type ExtendedTest = ReturnType<typeof extendTest>;

let built: ExtendedTest | undefined;

// Built on first use: `test.extend` needs a running test file, and this module is also imported by configs
// (for `defineStressProject`), where it must not throw.
function extendedTest(): ExtendedTest {
  built ??= extendTest();
  return built;
}

/** `stressTest` with its chaos-property helper. */
export type StressTestAPI = ExtendedTest & { readonly chaos: typeof chaos };

/**
 * Vitest's `test` with the `stress` fixture. Settings layer as project defaults < `stressTest.override({ stressConfig })`
 * per describe < `{ meta: { stress: {...} } }` per test < `stress.run(overrides)`.
 * @example
 * stressTest('20 agents', { meta: { stress: { agents: 20 } } }, async ({ stress }) => {
 *   expect(await stress.run()).toHaveDeliveredEverything();
 * });
 */
export const stressTest: StressTestAPI = new Proxy(function stressTest() {} as unknown as StressTestAPI, {
  apply: (_target, self, args) => Reflect.apply(extendedTest() as (...a: unknown[]) => unknown, self, args),
  get: (_target, key) => (key === 'chaos' ? chaos : Reflect.get(extendedTest(), key)),
  has: (_target, key) => key === 'chaos' || Reflect.has(extendedTest(), key),
});
