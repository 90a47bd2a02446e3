import fc from 'fast-check';
import { describeChaosSchedule, type StressReport, validateChaosSchedule } from '../engine/index.ts';
import { invalidOption, StressError } from '../protocol/index.ts';
import { describeWorkload, type StressCase } from './stress-case.ts';
import type { StressProperty } from './stress-property.ts';

/** Options of {@link checkStressProperty}: fast-check's replay block, the run count and a wall-time bound. */
export interface CheckStressPropertyOptions {
  /** fast-check's seed; with `path`, replays a printed failure. @default random */
  readonly seed?: number;
  /** The path printed with a failure; needs its `seed`. */
  readonly path?: string;
  /** @default 100 */
  readonly numRuns?: number;
  /** Stops generating (and shrinking) after this many wall-clock ms; an interrupt before any failure passes. */
  readonly timeLimitMs?: number;
  /** Stop at the first failure without shrinking. @default true with `path`, else false */
  readonly endOnFailure?: boolean;
}

/** How to replay a failure: pass it back to {@link checkStressProperty} with the same property. */
export interface StressPropertyReplay {
  readonly seed: number;
  readonly path: string;
  readonly endOnFailure: true;
}

/** A shrunk failure of a stress property, JSON-plain and readable. */
export interface StressPropertyFailure {
  readonly seed: number;
  readonly path: string;
  /** Cases run up to the first failure, that one included. */
  readonly numRuns: number;
  readonly numShrinks: number;
  /** True when the time limit cut the search or the shrinking short: the counterexample may not be minimal. */
  readonly interrupted: boolean;
  /** The shrunk case, ready to run again. */
  readonly counterexample: StressCase;
  /** The counterexample in words (its workload with the property's fixed options applied). */
  readonly description: { readonly workload: string; readonly chaos: string };
  /** Why the counterexample's run failed (its report's failures), or the error it threw. */
  readonly failures: readonly string[];
  readonly replay: StressPropertyReplay;
}

/** The outcome of {@link checkStressProperty}. */
export interface StressPropertyResult {
  readonly ok: boolean;
  /** fast-check's seed of this check. */
  readonly seed: number;
  /** Cases run (up to and including the first failure when one failed). */
  readonly numRuns: number;
  /** True when the time limit stopped the check early. */
  readonly interrupted: boolean;
  readonly failure: StressPropertyFailure | null;
  /** The counterexample's full report, when its run produced one. */
  readonly report: StressReport | null;
}

const PATH = /^\d+(:\d+)*$/;

function resolveParams(options: CheckStressPropertyOptions): fc.Parameters<[StressCase]> {
  const { seed, path, numRuns = 100, timeLimitMs } = options;
  if (seed !== undefined && !(Number.isInteger(seed) && seed >= -0x8000_0000 && seed <= 0xffff_ffff)) {
    throw invalidOption('seed', 'a 32-bit integer', seed);
  }
  if (path !== undefined && (typeof path !== 'string' || !PATH.test(path))) {
    throw invalidOption('path', 'a fast-check path such as "3:0:1"', path);
  }
  if (path !== undefined && seed === undefined) {
    throw invalidOption('seed', 'the seed printed with the path (a path replays only with its seed)', seed);
  }
  if (!Number.isInteger(numRuns) || numRuns < 1)
    throw invalidOption('numRuns', 'a positive integer', numRuns);
  if (timeLimitMs !== undefined && !(typeof timeLimitMs === 'number' && timeLimitMs > 0)) {
    throw invalidOption('timeLimitMs', 'a positive number of ms', timeLimitMs);
  }
  return {
    numRuns,
    ...(seed === undefined ? {} : { seed }),
    ...(path === undefined ? {} : { path }),
    endOnFailure: options.endOnFailure ?? path !== undefined,
    plugins:
      timeLimitMs === undefined
        ? []
        : [fc.interruptAfterTimeLimit(timeLimitMs, { failOnInterrupt: false }) as fc.Plugin<[StressCase]>],
  };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Checks a {@link StressProperty} with fast-check and, on failure, returns the shrunk counterexample in
 * readable form with the `{ seed, path }` that replays it: the same property checked with that replay
 * fails on its first run with the same counterexample.
 * @example
 * const result = await checkStressProperty(p, { numRuns: 100, timeLimitMs: 10_000 });
 * if (result.failure) console.log(formatStressPropertyFailure(result.failure));
 */
export async function checkStressProperty(
  property: StressProperty,
  options: CheckStressPropertyOptions = {},
): Promise<StressPropertyResult> {
  const details = await fc.check(property.property, resolveParams(options));
  if (!details.failed || details.counterexample === null || details.counterexamplePath === null) {
    return {
      ok: !details.failed,
      seed: details.seed,
      numRuns: details.numRuns,
      interrupted: details.interrupted,
      failure: null,
      report: null,
    };
  }
  const [counterexample] = details.counterexample;
  let report = property.reportOf(counterexample) ?? null;
  // The run is deterministic, so a report fast-check's bookkeeping lost can be recomputed.
  if (report === null) report = await property.runCase(counterexample).catch(() => null);
  const failures = report !== null && report.failures.length > 0 ? [...report.failures] : [];
  // The property's own error only restates the report's failures; anything else (a check) is added.
  const error = details.errorInstance;
  if (!(StressError.is(error, 'ERR_STRESS_FAILED') && Array.isArray(error.details.failures)))
    failures.push(messageOf(error));
  const failure: StressPropertyFailure = {
    seed: details.seed,
    path: details.counterexamplePath,
    numRuns: details.numRuns,
    numShrinks: details.numShrinks,
    interrupted: details.interrupted,
    counterexample: JSON.parse(JSON.stringify(counterexample)) as StressCase,
    description: {
      // The fixed options count too: the case holds only the generated fields.
      workload: safely(() => describeWorkload(property.optionsFor(counterexample))),
      chaos: safely(() => describeChaosSchedule(validateChaosSchedule(counterexample.chaos))),
    },
    failures,
    replay: { seed: details.seed, path: details.counterexamplePath, endOnFailure: true },
  };
  return {
    ok: false,
    seed: details.seed,
    numRuns: details.numRuns,
    interrupted: details.interrupted,
    failure,
    report,
  };
}

function safely(describe: () => string): string {
  try {
    return describe();
  } catch (error) {
    return `invalid (${messageOf(error)})`;
  }
}
