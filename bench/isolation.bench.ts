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
 * Where a guarded run happens: outside any test (the guard's patches alone); in a test, as `stress.run()` runs it
 * (`runInTest`, then `runAlone`: blame without per-promise tracking while the test runs alone); or in a test
 * tracked promise by promise, as under `test.concurrent` (on Node 20 a promise hook, a cost per promise).
 */
export type GuardContext = 'none' | 'test' | 'concurrent-test';

/**
 * Times `runOnce` with the guard off and on, `iterations` times each, in A-B-B-A order so warm-up and drift
 * fall on both sides equally, after one untimed pass of each unless `warmUp` is false. Installing and removing
 * the guard is not timed. Reusable for any workload.
 */
export async function measureGuardOverhead(
  runOnce: () => Promise<void>,
  iterations: number,
  options: IsolationOptions = {},
  warmUp = true,
  context: GuardContext = 'none',
): Promise<GuardOverhead> {
  const off: number[] = [];
  const on: number[] = [];
  const timed = async (samples: number[], run = runOnce): Promise<void> => {
    const started = performance.now();
    await run();
    samples.push(performance.now() - started);
  };
  const guarded = async (samples: number[]): Promise<void> => {
    const guard = await installIsolationGuard(options);
    try {
      if (context === 'test') {
        // As the stress fixture does it: the test's context, the run through `runAlone`.
        await guard.runInTest('bench', () => timed(samples, () => guard.runAlone(runOnce)));
      } else if (context === 'concurrent-test') {
        // Another test in flight: `runAlone` keeps tracking every promise.
        let release = (): void => {};
        const other = guard.runInTest('other', () => new Promise<void>((resolve) => (release = resolve)));
        await guard.runInTest('bench', () => timed(samples, () => guard.runAlone(runOnce)));
        release();
        await other;
      } else await timed(samples);
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
  const inTestRun = await measureGuardOverhead(defaultWorkload, 21, {}, true, 'test');
  const concurrentRun = await measureGuardOverhead(defaultWorkload, 21, {}, true, 'concurrent-test');
  const fileStoreRun = await measureGuardOverhead(async () => {
    await runStress({
      agents: 9,
      messagesPerAgent: 100,
      seed: 1,
      target: createReferenceTarget({ store: 'file' }),
    });
  }, 21);
  const millionRun = await measureGuardOverhead(async () => {
    await runStress({ agents: 10, messagesPerAgent: 100_000, seed: 1 });
  }, 5);
  return [
    result(
      '9×100 default run (memory store)',
      defaultRun,
      'median of 21 runs each; the guard’s patches alone',
    ),
    result(
      '9×100 default run, as stress.run() in a test',
      inTestRun,
      'median of 21 runs each; guard plus `runInTest` and `runAlone`, as the stress fixture runs it (decision 0015)',
    ),
    {
      ...result('9×100 default run in a test beside a concurrent one', concurrentRun, ''),
      target: 'reported, no target: per-promise blame under test.concurrent (a promise hook on Node 20)',
      note: `median of 21 runs each; a second test in flight, so every promise is followed (decision 0015); spread on ${range(concurrentRun.on)}, off ${range(concurrentRun.off)}`,
    },
    result(
      '9×100 run on the file store',
      fileStoreRun,
      'median of 21 runs each; every journal write passes the path check',
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
