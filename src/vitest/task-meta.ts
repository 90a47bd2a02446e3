import type { IsolationViolationRecord } from '../isolation/isolation-violation.ts';
import type { StressTestResult } from '../report/stress-test-record.ts';
import type { StressRunSettings } from '../suite/stress-settings.ts';

declare module '@vitest/runner' {
  interface TaskMeta {
    /**
     * Per-test stress settings, the last configuration layer: `stressTest('x', { meta: { stress: { agents: 20 } } }, ...)`.
     */
    stress?: StressRunSettings;
    /** What the test measured, written after it by vitest-stress (JSON-plain, histograms encoded). */
    stressResult?: StressTestResult;
    /** The shard (`--shard=index/count`) that ran the test, in a sharded run. */
    stressShard?: { index: number; count: number };
    /** On a test file: isolation violations that belong to no running test (they fail the file and the run). */
    stressStrayViolations?: IsolationViolationRecord[];
  }
}

/** The `task.meta` keys vitest-stress reads (`stress`) and writes (`stressResult`). */
export const STRESS_META_KEYS = { settings: 'stress', result: 'stressResult' } as const;
