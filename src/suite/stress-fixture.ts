import type { StressReport, StressTargetFactory, YieldFunction } from '../engine/index.ts';
import type { IsolationGuard, IsolationViolationRecord } from '../isolation/index.ts';
import type { JsonObject } from '../protocol/index.ts';
import { runStress } from '../reference/run-stress.ts';
import { getStressEnvironment } from './environment-state.ts';
import { loadTargetFactory } from './load-target.ts';
import type { ResolvedStressProjectOptions } from './stress-project-options.ts';
import { layerSettings, type StressRunSettings } from './stress-settings.ts';
import { collectViolations, type TestSession } from './test-session.ts';
import { validateStressSettings } from './validate-settings.ts';

/** Overrides of one `stress.run()`: settings, plus what only code can give (a factory, a signal). */
export interface StressRunOverrides extends StressRunSettings {
  /** A target factory built in the test, instead of the `target` module. */
  readonly targetFactory?: StressTargetFactory;
  readonly signal?: AbortSignal;
  /** How the virtual clock lets continuations run between instants (see `runStress`). @default the engine's */
  readonly yield?: YieldFunction;
}

/** The `stress` fixture: the test's settings and an engine run that records its report for the test's meta. */
export interface StressFixture {
  /** Settings of this test: project defaults < `stressTest.override({ stressConfig })` < `meta.stress`. */
  readonly settings: StressRunSettings;
  /** The project's resolved options. */
  readonly project: ResolvedStressProjectOptions;
  /** Reports of this test's runs so far. */
  readonly reports: readonly StressReport[];
  /** The isolation guard of this file; undefined with `isolation: false` or outside the stress environment. */
  readonly guard: IsolationGuard | undefined;
  /** Runs the engine with the test's settings and `overrides`, records the report and returns it. */
  run(overrides?: StressRunOverrides): Promise<StressReport>;
  /** The target factory of `settings` (or of `target`), loaded in the test's module context. */
  loadTarget(target?: string): Promise<StressTargetFactory>;
  /** Escapes the isolation guard recorded during this test so far. */
  violations(): readonly IsolationViolationRecord[];
  /** The command that reruns this test, with `variables` (e.g. `STRESS_SEED`) in front. */
  replayCommand(variables?: Readonly<Record<string, string>>): string;
}

/** Removes what cannot be JSON (the target factory) from run options, for the report's `options`. */
export function settingsAsJson(settings: StressRunSettings): JsonObject {
  return JSON.parse(JSON.stringify(settings)) as JsonObject;
}

/**
 * A `-t` pattern matching one test: Vitest tests it against the file, suite and test names joined by spaces,
 * so the name (`suite > test`) is matched at the end, after a space.
 */
export function testNamePattern(name: string): string {
  const escaped = name
    .split(' > ')
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join(' ');
  return `(^| )${escaped}$`;
}

/** The test runner a fixture runs under: it decides the command of the replay line. */
export type StressRunner = 'vitest' | 'jest';

/** The command that reruns one test of the project, with optional environment variables in front. */
export function replayCommand(
  project: string,
  name: string,
  variables: Readonly<Record<string, string>> = {},
  runner: StressRunner = 'vitest',
): string {
  const prefix = Object.entries(variables).map(([key, value]) => `${key}=${value} `);
  const pattern = testNamePattern(name).replaceAll('"', '\\"');
  const command =
    runner === 'jest' ? `npx jest --selectProjects ${project}` : `npx vitest run --project ${project}`;
  return `${prefix.join('')}${command} -t "${pattern}"`;
}

/** Builds the fixture of one test over its session. */
export function createStressFixture(
  session: TestSession,
  project: ResolvedStressProjectOptions,
  settings: StressRunSettings,
  runner: StressRunner = 'vitest',
): StressFixture {
  const loadTarget = (target?: string) => loadTargetFactory(target ?? settings.target, project.root);
  const guard = getStressEnvironment()?.guard;
  return {
    settings,
    project,
    reports: session.reports,
    guard,
    loadTarget,
    violations: () => collectViolations(session),
    replayCommand: (variables = {}) => replayCommand(project.name, session.name, variables, runner),
    async run(overrides = {}) {
      const { targetFactory, signal, yield: pause, ...rest } = overrides;
      const layered = layerSettings(settings, validateStressSettings(rest, 'stress.run(overrides)'));
      const target = targetFactory ?? (await loadTarget(layered.target));
      const { target: _module, ...engine } = layered;
      const drive = () =>
        runStress(
          { ...engine, target, ...(signal ? { signal } : {}), ...(pause ? { yield: pause } : {}) },
          { seed: engine.seed ?? 1, command: replayCommand(project.name, session.name, {}, runner) },
        );
      // The test's own work at full speed: blame needs no per-promise tracking while no other test runs.
      const report = await (guard === undefined ? drive() : guard.runAlone(drive));
      session.reports.push(report);
      session.options = settingsAsJson(layered);
      return report;
    },
  };
}
