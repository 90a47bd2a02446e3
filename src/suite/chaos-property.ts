import type fc from 'fast-check';
import type { ChaosSchedule, StressReport, WorkloadOptions } from '../engine/index.ts';
import {
  type ChaosInRun,
  type CheckStressPropertyOptions,
  checkStressProperty,
  formatStressPropertyFailure,
  type StressCase,
  type StressPropertyResult,
  stressProperty,
} from '../generators/index.ts';
import { invalidOption, StressError } from '../protocol/index.ts';
import { nodeRunEnvironment } from '../reference/run-stress.ts';
import type { StressFixture } from './stress-fixture.ts';
import { settingsAsJson } from './stress-fixture.ts';
import { layerSettings, type StressRunSettings } from './stress-settings.ts';
import type { TestSession } from './test-session.ts';
import { validateStressSettings } from './validate-settings.ts';

/** Options of a chaos property (`stressTest.chaos`); the test's settings are the fixed part of every case. */
export interface ChaosPropertyOptions {
  /** Workloads to generate, e.g. `workloadOptions({ maxDeliveries: 200 })`. @default fc.constant({}) (the test's settings) */
  readonly workload?: fc.Arbitrary<WorkloadOptions>;
  /**
   * Chaos to generate: `chaosInRun({ kinds })` places it within each case's run and shrinks it with the workload;
   * `chaosSchedule()` gives fixed times in ms. @default `chaosInRun()` (see `stressProperty`)
   */
  readonly chaos?: ChaosInRun | fc.Arbitrary<ChaosSchedule>;
  /** Cases to run; `STRESS_NUM_RUNS` overrides it. @default the project's `numRuns` (25) */
  readonly numRuns?: number;
  /** Wall-time budget in ms for generation and shrinking. @default the project's `propertyTimeLimitMs` (10000) */
  readonly timeLimitMs?: number;
  /** The engine seed of each case: fixed, or drawn (not shrunk). @default drawn */
  readonly seed?: number | fc.Arbitrary<number>;
  /** Fail a case whose report is not ok (invariant, threshold or drain). @default true */
  readonly requireOk?: boolean;
  /** Settings for every case on top of the test's (the workload arbitrary still wins). @default {} */
  readonly settings?: StressRunSettings;
}

/** An extra check of every case: return `false` or throw to fail it. */
export type ChaosPropertyBody = (report: StressReport, stressCase: StressCase) => unknown;

/** The chaos-property knobs from the environment (`STRESS_NUM_RUNS`, `STRESS_SEED`, `STRESS_PATH`). */
export interface ChaosPropertyKnobs {
  readonly numRuns: number | null;
  readonly seed: number | null;
  readonly path: string | null;
}

/**
 * Runs a chaos property for one test: generated message mixes and chaos schedules through the engine with
 * fast-check, bounded in wall time. Every run is recorded for the test's meta; a failure records the seed, path,
 * shrunk counterexample and replay line, then throws them as one readable error.
 */
export async function runChaosProperty(
  stress: StressFixture,
  session: TestSession,
  knobs: ChaosPropertyKnobs,
  options: ChaosPropertyOptions = {},
  body?: ChaosPropertyBody,
): Promise<StressPropertyResult> {
  if (typeof options !== 'object' || options === null)
    throw invalidOption('chaos options', 'an object', options);
  if (body !== undefined && typeof body !== 'function') throw invalidOption('chaos body', 'a function', body);
  const settings = layerSettings(
    stress.settings,
    validateStressSettings(options.settings ?? {}, 'chaos.settings'),
  );
  const { target: module, seed: _seed, chaos: _chaos, ...fixed } = settings;
  const requireOk = options.requireOk ?? true;
  const property = stressProperty({
    target: await stress.loadTarget(module),
    options: { ...fixed, ...nodeRunEnvironment() },
    workload: options.workload,
    ...(options.chaos === undefined ? {} : { chaos: options.chaos }),
    ...(options.seed === undefined ? {} : { seed: options.seed }),
    requireOk: false,
    check: async (report, stressCase) => {
      session.reports.push(report);
      if (requireOk && !report.ok) {
        // The code and `details.failures` tell checkStressProperty this only restates the report's failures.
        throw new StressError(
          'ERR_STRESS_FAILED',
          `The stress run failed:${report.failures.map((f) => `\n  - ${f}`).join('')}`,
          {
            details: { failures: report.failures },
          },
        );
      }
      return body?.(report, stressCase);
    },
  });
  const check: CheckStressPropertyOptions = {
    numRuns: knobs.numRuns ?? options.numRuns ?? stress.project.numRuns,
    timeLimitMs: options.timeLimitMs ?? stress.project.propertyTimeLimitMs,
    ...(knobs.seed === null ? {} : { seed: knobs.seed }),
    ...(knobs.path === null ? {} : { path: knobs.path }),
  };
  // As `stress.run()`: the test's own work, at full speed while no other test runs (see `runAlone`).
  const checked = () => checkStressProperty(property, check);
  const result = await (stress.guard === undefined ? checked() : stress.guard.runAlone(checked));
  session.options = settingsAsJson(settings);
  const failure = result.failure;
  session.property = {
    // A replay (a path) runs exactly the case it names, whatever was asked.
    cases_asked: knobs.path === null ? (check.numRuns ?? result.numRuns) : result.numRuns,
    cases_run: result.numRuns,
    time_limit_ms: check.timeLimitMs ?? 0,
    interrupted: result.interrupted,
    shrinks: failure?.numShrinks ?? 0,
    shrunk_case: failure === null ? null : { ...failure.description },
  };
  if (failure === null) {
    session.replay = {
      seed: result.seed,
      num_runs: result.numRuns,
      command: stress.replayCommand({ STRESS_SEED: String(result.seed) }),
    };
    return result;
  }
  if (result.report !== null) session.representative = result.report;
  const command = stress.replayCommand({
    STRESS_SEED: String(failure.replay.seed),
    STRESS_PATH: failure.replay.path,
  });
  const text = formatStressPropertyFailure(failure);
  session.replay = {
    seed: failure.replay.seed,
    path: failure.replay.path,
    command,
    counterexample: `${text}\nCase: ${JSON.stringify(failure.counterexample)}`,
    num_runs: failure.numRuns,
  };
  throw new StressError(
    'ERR_STRESS_FAILED',
    `Chaos property "${session.name}" failed.\n${text}\nReplay it with:\n  ${command}`,
    {
      details: { seed: failure.replay.seed, path: failure.replay.path, command },
    },
  );
}
