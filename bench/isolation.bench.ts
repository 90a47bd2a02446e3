import { pathToFileURL } from 'node:url';
import { type IsolationOptions, installIsolationGuard } from '../src/isolation/index.ts';
import { createReferenceTarget } from '../src/reference/reference-target.ts';
import { runStress } from '../src/reference/run-stress.ts';
import type { BenchResult } from './bench-result.ts';
import { type Spread, spread } from './sample-statistics.ts';

/** Median wall times of one workload with the guard off and on, measured in this process. */
export interface GuardOverhead {
  readonly offMs: number;
  readonly onMs: number;
  /** `onMs / offMs`; the target is at most 1.10. */
  readonly ratio: number;
  readonly off: Spread;
  readonly on: Spread;
}

/**
 * Times `runOnce` with the guard off and on, `iterations` times each, in A-B-B-A order so warm-up and drift
 * fall on both sides equally, after one untimed pass of each unless `warmUp` is false. Installing and removing
 * the guard is not timed. With `inTest` the guarded run happens inside `guard.runInTest`, as every test of a Vitest
 * stress project does (on Node 20 that switches on promise hooks, a cost per promise of the blame feature). Reusable for any workload.
 */
export async function measureGuardOverhead(
  runOnce: () => Promise<void>,
  iterations: number,
  options: IsolationOptions = {},
  warmUp = true,
  inTest = false,
): Promise<GuardOverhead> {
  const off: number[] = [];
  const on: number[] = [];
  const timed = async (samples: number[]): Promise<void> => {
    const started = performance.now();
    await runOnce();
    samples.push(performance.now() - started);
  };
  const guarded = async (samples: number[]): Promise<void> => {
    const guard = await installIsolationGuard(options);
    try {
      // `inTest`: as in a Vitest stress test, inside the guard's per-test async context (blame per test).
      if (inTest) await guard.runInTest('bench', () => timed(samples));
      else await timed(samples);
    } finally {
      guard.uninstall();
    }
    if (guard.violations().length > 0)
      throw new Error(`the benchmark workload escaped: ${guard.violations()[0]?.api}`);
  };
  // One untimed pass each: JIT and the module-resolution hook's first registration are not overhead per run.
  if (warmUp) {
    await timed([]);
    await guarded([]);
  }
  for (let round = 0; round < iterations; round++) {
    if (round % 2 === 0) {
      await timed(off);
      await guarded(on);
    } else {
      await guarded(on);
      await timed(off);
    }
  }
  const offSpread = spread(off);
  const onSpread = spread(on);
  return {
    offMs: offSpread.median,
    onMs: onSpread.median,
    ratio: onSpread.median / offSpread.median,
    off: offSpread,
    on: onSpread,
  };
}

const range = (f: Spread): string => `${Math.round(f.min)}-${Math.round(f.max)} ms`;

function result(name: string, overhead: GuardOverhead, note: string): BenchResult {
  return {
    name: `${name}, guard on`,
    value: overhead.onMs,
    unit: 'ms',
    baseline: { name: 'guard off', value: overhead.offMs },
    target: '<= 1.10x guard off',
    note: `${note}; spread on ${range(overhead.on)}, off ${range(overhead.off)}`,
  };
}

/** The guard's overhead on the default 9×100 run (memory and file store) and on a 1,000,000-message run. */
export async function run(): Promise<BenchResult[]> {
  const defaultWorkload = async (): Promise<void> => {
    await runStress({ agents: 9, messagesPerAgent: 100, seed: 1 });
  };
  const defaultRun = await measureGuardOverhead(defaultWorkload, 21);
  const inTestRun = await measureGuardOverhead(defaultWorkload, 21, {}, true, true);
  const fileStoreRun = await measureGuardOverhead(async () => {
    await runStress({
      agents: 9,
      messagesPerAgent: 100,
      seed: 1,
      target: createReferenceTarget({ store: 'file' }),
    });
  }, 11);
  const millionRun = await measureGuardOverhead(async () => {
    await runStress({ agents: 10, messagesPerAgent: 100_000, seed: 1 });
  }, 5);
  return [
    result(
      '9×100 default run (memory store)',
      defaultRun,
      'median of 21 runs each; the guard’s patches alone',
    ),
    {
      ...result('9×100 default run, inside a test’s async context', inTestRun, ''),
      target: 'reported, no target: the cost of per-test blame (AsyncLocalStorage) on Node 20',
      note: `median of 21 runs each; guard plus \`runInTest\`, as in a Vitest stress test (decision 0015); spread on ${range(inTestRun.on)}, off ${range(inTestRun.off)}`,
    },
    result(
      '9×100 run on the file store',
      fileStoreRun,
      'median of 11 runs each; every journal write passes the path check',
    ),
    result(
      '1,000,000-message run',
      millionRun,
      'median of 5 runs each (A-B-B-A) after a warm-up pass of each',
    ),
  ];
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  console.log(JSON.stringify(await run(), null, 2));
}
