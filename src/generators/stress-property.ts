import fc from 'fast-check';
import {
  type ChaosSchedule,
  runStress,
  type StressOptions,
  type StressReport,
  type StressTargetFactory,
  type WorkloadOptions,
} from '../engine/index.ts';
import { invalidOption, StressError } from '../protocol/index.ts';
import { defaultWorkload } from './default-workload.ts';
import { type ChaosInRun, chaosInRun } from './run-horizon.ts';
import type { StressCase } from './stress-case.ts';

/** Run options every case shares; the generated workload, seed and chaos replace their fields. */
export type StressPropertyRunOptions = Omit<StressOptions, 'target' | 'seed' | 'chaos'>;

/** A check of a case's report: return (or resolve to) `false`, or throw, to fail the case. */
export type StressCheck = (report: StressReport, stressCase: StressCase) => unknown;

/** Options of {@link stressProperty}. */
export interface StressPropertyOptions {
  /** The system under test. */
  readonly target: StressTargetFactory;
  /** Fixed run options (profile, core, thresholds, drain timeout, ...). @default {} */
  readonly options?: StressPropertyRunOptions;
  /**
   * Workloads to try; `workloadOptions()` generates them. @default the fixed options' own run (9 x 100 unless
   * they say otherwise), shrinking towards fewer agents and deliveries when a case fails (`defaultWorkload`)
   */
  readonly workload?: fc.Arbitrary<WorkloadOptions>;
  /**
   * Chaos to try: schedules placed within each case's own run that shrink with its workload (`chaosInRun()`),
   * fixed schedules (`chaosSchedule()`, times in ms), or a function of each case's workload (the fixed options'
   * workload fields under the generated ones) that returns them; a function's chaos is drawn after the workload,
   * so once its chaos shrinks the workload no longer does. @default `chaosInRun()`
   */
  readonly chaos?:
    | ChaosInRun
    | fc.Arbitrary<ChaosSchedule>
    | ((workload: WorkloadOptions) => fc.Arbitrary<ChaosSchedule>);
  /** The engine seed: fixed, or drawn per case (not shrunk). @default a random 31-bit seed per case */
  readonly seed?: number | fc.Arbitrary<number>;
  /** Fail a case whose report is not ok (an invariant, a threshold or the drain failed). @default true */
  readonly requireOk?: boolean;
  /** An extra check of each report. */
  readonly check?: StressCheck;
}

/** A fast-check property over {@link StressCase}s, with the reports of the cases that failed. */
export interface StressProperty {
  readonly property: fc.IAsyncProperty<[StressCase]>;
  readonly arbitrary: fc.Arbitrary<StressCase>;
  /** The full run options of a case: the fixed options with the case's workload, seed and chaos. */
  optionsFor(stressCase: StressCase): StressOptions;
  /** Runs one case through the engine (the property does this for every generated case). */
  runCase(stressCase: StressCase): Promise<StressReport>;
  /** The report of a case that failed during a check, if it is still known. */
  reportOf(stressCase: StressCase): StressReport | undefined;
}

function isChaosInRun(chaos: unknown): chaos is ChaosInRun {
  return typeof chaos === 'object' && chaos !== null && 'relative' in chaos && 'place' in chaos;
}

/** Lists why a report fails, one line each, for the thrown error. */
function failureText(report: StressReport): string {
  return report.failures.map((line) => `\n  - ${line}`).join('');
}

/**
 * Builds a property that runs the engine once per generated case and fails when the report is not ok or
 * `check` rejects it; feed it to {@link checkStressProperty} (or `fc.assert(p.property)`).
 * @example
 * const p = stressProperty({ target: createSimpleTarget(), chaos: chaosSchedule({ kinds: ['delivery_failure'] }) });
 * const result = await checkStressProperty(p, { numRuns: 50 });
 */
export function stressProperty(options: StressPropertyOptions): StressProperty {
  if (typeof options !== 'object' || options === null) throw invalidOption('options', 'an object', options);
  const { target, requireOk = true, check } = options;
  if (typeof target !== 'function') throw invalidOption('target', 'a target factory function', target);
  if (check !== undefined && typeof check !== 'function') throw invalidOption('check', 'a function', check);
  const fixed = options.options ?? {};
  const seed =
    options.seed === undefined
      ? fc.noShrink(fc.integer({ min: 0, max: 0x7fff_ffff }))
      : typeof options.seed === 'number'
        ? fc.constant(options.seed)
        : options.seed;
  const chaos = options.chaos ?? chaosInRun();
  const workload = options.workload ?? defaultWorkload(fixed);
  const arbitrary: fc.Arbitrary<StressCase> = isChaosInRun(chaos)
    ? // Drawn side by side and placed afterwards, so the workload shrinks first and the chaos keeps its place.
      fc.record({ seed, workload, chaos: chaos.relative }).map(
        (drawn): StressCase => ({
          ...drawn,
          chaos: chaos.place(drawn.chaos, { ...fixed, ...drawn.workload }),
        }),
      )
    : typeof chaos === 'function'
      ? fc
          .record({ seed, workload })
          .chain((drawn) =>
            chaos({ ...fixed, ...drawn.workload }).map(
              (schedule): StressCase => ({ ...drawn, chaos: schedule }),
            ),
          )
      : fc.record({ seed, workload, chaos });
  const failed = new WeakMap<StressCase, StressReport>();
  const optionsFor = (stressCase: StressCase): StressOptions => ({
    // A generated case that leaves a metric empty is not a failure the user asked for (they can say 'fail').
    thresholdsWithoutSamples: 'skip',
    ...fixed,
    ...stressCase.workload,
    seed: stressCase.seed,
    chaos: stressCase.chaos,
    target,
  });
  const runCase = (stressCase: StressCase): Promise<StressReport> => runStress(optionsFor(stressCase));
  const property = fc.asyncProperty(arbitrary, async (stressCase) => {
    const report = await runCase(stressCase);
    if (requireOk && !report.ok) {
      failed.set(stressCase, report);
      throw new StressError('ERR_STRESS_FAILED', `The stress run failed:${failureText(report)}`, {
        details: { failures: report.failures },
      });
    }
    if (check === undefined) return;
    try {
      if ((await check(report, stressCase)) === false) {
        throw new StressError('ERR_STRESS_FAILED', 'The stress check returned false.');
      }
    } catch (error) {
      failed.set(stressCase, report);
      throw error;
    }
  });
  return { property, arbitrary, optionsFor, runCase, reportOf: (stressCase) => failed.get(stressCase) };
}
