import type { EnvironmentContext, JestEnvironmentConfig } from '@jest/environment';
import type { Circus } from '@jest/types';
import { TestEnvironment as NodeEnvironment } from 'jest-environment-node';
import {
  type IsolationGuard,
  type IsolationViolationRecord,
  installIsolationGuard,
} from '../isolation/index.ts';
import { invalidOption } from '../protocol/index.ts';
import { summarizeTestReports } from '../report/stress-test-record.ts';
import { STRESS_ENVIRONMENT_KEY, type StressEnvironmentState } from '../suite/environment-state.ts';
import type { ResolvedStressProjectOptions } from '../suite/stress-project-options.ts';
import { layerSettings } from '../suite/stress-settings.ts';
import { validateStressSettings } from '../suite/validate-settings.ts';
import { JEST_FILE_STATE_KEY, type JestFileState } from './jest-environment-state.ts';
import { RUN_DIRECTORY_VARIABLE, writeFileResults } from './run-directory.ts';

/** Reads `testEnvironmentOptions.stress`: options `defineStressJestProject` resolved, or raw ones, validated here. */
async function readOptions(options: Record<string, unknown>): Promise<ResolvedStressProjectOptions> {
  const raw = options.stress;
  if (raw !== undefined && (typeof raw !== 'object' || raw === null)) {
    throw invalidOption('testEnvironmentOptions.stress', 'an object', raw);
  }
  const candidate = (raw ?? {}) as Partial<ResolvedStressProjectOptions>;
  if (typeof candidate.settings === 'object' && typeof candidate.root === 'string') {
    return candidate as ResolvedStressProjectOptions;
  }
  const { resolveStressProjectOptions } = await import('../suite/stress-project-options.ts');
  return resolveStressProjectOptions(raw as never);
}

/** The file's `@stress {"agents": 20}` docblock pragma: settings over the project's, for this file. */
function pragmaSettings(pragmas: Record<string, string | string[]>): Record<string, unknown> | undefined {
  const text = pragmas.stress;
  if (text === undefined) return undefined;
  const joined = Array.isArray(text) ? text.join(' ') : text;
  try {
    return JSON.parse(joined) as Record<string, unknown>;
  } catch {
    throw invalidOption('@stress docblock pragma', 'a JSON object of stress settings', joined);
  }
}

/**
 * `fn` run inside the guard's `runInTest(name)`, so work it starts (timers, promises) is blamed on this test even
 * when it fires during a later one. The wrapper keeps the arity (Jest passes `done` to a function taking one);
 * generator functions, which Jest runs itself, are left as they are.
 */
function blamedOn(guard: IsolationGuard, name: string, fn: Circus.TestFn): Circus.TestFn {
  if (fn.constructor?.name === 'GeneratorFunction') return fn;
  const original = fn as (this: unknown, ...args: unknown[]) => unknown;
  const wrapped = function (this: unknown, ...args: unknown[]): unknown {
    return guard.runInTest(name, () => original.apply(this, args));
  };
  Object.defineProperty(wrapped, 'length', { value: original.length });
  return wrapped as unknown as Circus.TestFn;
}

function testPathOf(test: Circus.TestEntry): string[] {
  const names = [test.name];
  for (let block = test.parent; block !== undefined && block.parent !== undefined; block = block.parent) {
    names.unshift(block.name);
  }
  return names;
}

/**
 * The stress Jest environment (on jest-environment-node): for each test file it installs the isolation guard,
 * exposes the project's options (`testEnvironmentOptions.stress`, the `@stress` pragma) to the tests, tells the
 * guard which test runs, and at teardown writes the file's stress results into the reporter's run directory.
 */
export default class StressJestEnvironment extends NodeEnvironment {
  readonly #testPath: string;
  readonly #options: Record<string, unknown>;
  readonly #pragmas: Record<string, string | string[]>;
  #guard: IsolationGuard | undefined;
  #state: JestFileState = { currentTest: undefined, results: new Map() };
  readonly #strays: IsolationViolationRecord[] = [];
  /** Tests whose `test_done` has passed: escapes still blamed on them are strays. */
  readonly #finished = new Set<string>();

  constructor(config: JestEnvironmentConfig, context: EnvironmentContext) {
    super(config, context);
    this.#testPath = context.testPath;
    this.#options = config.projectConfig.testEnvironmentOptions;
    this.#pragmas = context.docblockPragmas;
  }

  override async setup(): Promise<void> {
    await super.setup();
    const project = await readOptions(this.#options);
    const pragma = pragmaSettings(this.#pragmas);
    const options: ResolvedStressProjectOptions =
      pragma === undefined
        ? project
        : {
            ...project,
            settings: layerSettings(project.settings, validateStressSettings(pragma, '@stress')),
          };
    if (options.isolation !== false) {
      this.#guard = await installIsolationGuard({ root: options.root, ...options.isolation });
    }
    const state: StressEnvironmentState = {
      version: 1,
      options,
      guard: this.#guard,
      strays: this.#strays,
      createMockCore: async (coreOptions) =>
        new (await import('../engine/mock-core/mock-messaging-core.ts')).MockMessagingCore(coreOptions),
      createReferenceTarget: async () =>
        (await import('../reference/reference-target.ts')).createReferenceTarget(),
    };
    const global = this.global as unknown as Record<symbol, unknown>;
    global[STRESS_ENVIRONMENT_KEY] = state;
    global[JEST_FILE_STATE_KEY] = this.#state;
  }

  handleTestEvent(event: Circus.Event): void {
    if (event.name === 'test_start') {
      this.#state.currentTest = testPathOf(event.test);
      // Escapes of no test, or of a test that has finished, are strays: kept, they fail the run (see teardown).
      // Those of a test still running stay its own: `test.concurrent` tests interleave, each between its own
      // `test_start` and `test_done`.
      const finished = this.#finished;
      this.#strays.push(
        ...(this.#guard?.takeViolations((record) => record.test === undefined || finished.has(record.test)) ??
          []),
      );
      this.#guard?.setCurrentTest(this.#state.currentTest.join(' > '));
    } else if (event.name === 'test_fn_start' && this.#guard !== undefined) {
      // Blame per async context, as under Vitest: Jest reads `test.fn` right after this event.
      const test = event.test as { fn: Circus.TestFn };
      test.fn = blamedOn(this.#guard, testPathOf(event.test).join(' > '), test.fn);
    } else if (event.name === 'test_done') {
      const name = testPathOf(event.test).join(' > ');
      // A plain `test` in the stress project: its escapes still count against the run, as in Vitest's setup file.
      if (!this.#state.results.has(name)) {
        const own = this.#guard?.takeViolations((record) => record.test === name) ?? [];
        this.#state.results.set(
          name,
          summarizeTestReports([], { isolation: { mode: this.#guard?.mode ?? 'off', violations: [...own] } }),
        );
      }
      this.#finished.add(name);
      this.#guard?.setCurrentTest(undefined);
      this.#state.currentTest = undefined;
    }
  }

  override async teardown(): Promise<void> {
    const strays = [...this.#strays.splice(0), ...(this.#guard?.takeViolations() ?? [])];
    this.#guard?.uninstall();
    this.#guard = undefined;
    const directory = process.env[RUN_DIRECTORY_VARIABLE];
    if (directory !== undefined && directory !== '') {
      await writeFileResults(directory, {
        schema_version: 1,
        kind: 'vitest-stress-jest-file',
        test_path: this.#testPath,
        results: JSON.parse(JSON.stringify(Object.fromEntries(this.#state.results))) as never,
        ...(strays.length === 0 ? {} : { stray_violations: JSON.parse(JSON.stringify(strays)) as never }),
      });
    }
    await super.teardown();
  }
}
