import { mergeSnapshots } from '../engine/metrics/merge-snapshots.ts';
import type { MetricsSnapshot } from '../engine/metrics/metrics-snapshot.ts';
import { summarizeSnapshot } from '../engine/metrics/summarize-snapshot.ts';
import { toolVersion } from '../io/tool-version.ts';
import { RUN_METRICS_VERSION, type RunMetricsFile, type StressTestRecord } from './run-metrics-file.ts';
import { judgeRun } from './run-verdict.ts';

/** What {@link buildRunMetricsFile} combines; everything but `tests` has a default. */
export interface BuildRunMetricsFileOptions {
  readonly tests: readonly StressTestRecord[];
  /** Reasons the run failed that no test carries (a reporter's own findings). @default [] */
  readonly extraReasons?: readonly string[];
  /** @default new Date() */
  readonly generatedAt?: Date;
  /** @default this package's version */
  readonly toolVersion?: string;
  /** @default process.version */
  readonly nodeVersion?: string;
}

/**
 * Builds the run-level metrics file: every test's snapshot merged (counts and histograms add, never average)
 * into the totals, and the run's verdict. Tests keep the order given.
 */
export function buildRunMetricsFile(options: BuildRunMetricsFileOptions): RunMetricsFile {
  const { tests } = options;
  const measured = tests.filter(
    (test): test is typeof test & { snapshot: MetricsSnapshot } => test.snapshot !== null,
  );
  const snapshot = measured.length === 0 ? null : mergeSnapshots(...measured.map((test) => test.snapshot));
  return {
    schema_version: RUN_METRICS_VERSION,
    kind: 'vitest-stress-run',
    generated_at: (options.generatedAt ?? new Date()).toISOString(),
    tool_version: options.toolVersion ?? toolVersion(),
    node_version: options.nodeVersion ?? process.version,
    verdict: judgeRun(tests, options.extraReasons),
    totals:
      snapshot === null
        ? null
        : {
            ...summarizeSnapshot(snapshot),
            tests: measured.length,
            runs: measured.reduce((total, test) => total + test.runs, 0),
          },
    snapshot,
    tests,
  };
}
