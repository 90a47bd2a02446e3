import type { InvariantReport } from '../engine/ledger/invariant-report.ts';
import type { MetricsReport, MetricsSummary, ReplayInfo } from '../engine/metrics/metrics-report.ts';
import type { MetricsSnapshot } from '../engine/metrics/metrics-snapshot.ts';
import type { ThresholdVerdict } from '../engine/metrics/threshold.ts';
import type { IsolationViolationRecord } from '../isolation/index.ts';
import type { JsonObject } from '../protocol/index.ts';

/** The version of {@link RunMetricsFile} and of its schema (`RUN_METRICS_SCHEMA`). */
export const RUN_METRICS_VERSION = 1;

/** How a test ended, as Vitest reports it. */
export type StressTestState = 'passed' | 'failed' | 'skipped' | 'pending';

/** What the isolation guard saw during one test; `off` when no guard was installed. */
export interface StressTestIsolation {
  readonly mode: 'block' | 'observe' | 'off';
  readonly violations: readonly IsolationViolationRecord[];
}

/** How to replay a test's failing chaos run: the engine's replay info plus the shrunk counterexample. */
export interface StressReplay extends ReplayInfo {
  /** The shrunk chaos schedule and message mix, readable. */
  readonly counterexample?: string;
  /** Property runs before the failure (or in total when it passed). */
  readonly num_runs?: number;
}

/** Counts over every engine run of a test that made more than one: what its row and the run's totals add. */
export interface StressTestAllRuns {
  /** Delivery units lost, summed over the runs. */
  readonly lost: number;
  /** Delivery units delivered more than once, summed over the runs. */
  readonly duplicated: number;
  /** Runs whose report was not ok (an invariant, threshold or drain failure). */
  readonly failed: number;
}

/** What a chaos property did: how many cases it was asked for, how many ran, and the shrunk failing case. */
export interface StressPropertyRecord {
  /** Cases asked for (`numRuns`, or `STRESS_NUM_RUNS`). */
  readonly cases_asked: number;
  /** Generated cases run, up to and including the first failing one (shrinking not counted). */
  readonly cases_run: number;
  /** The wall-time budget of generation and shrinking, in ms. */
  readonly time_limit_ms: number;
  /** True when that budget stopped generation (fewer cases than asked) or cut the shrinking short. */
  readonly interrupted: boolean;
  /** Shrinking steps that made the failing case smaller (0 without a failure). */
  readonly shrinks: number;
  /** The shrunk failing case in words, or null when every case passed. */
  readonly shrunk_case: { readonly workload: string; readonly chaos: string } | null;
}

/** One stress test of a run: where it is, how it was configured, what it measured and its verdicts. */
export interface StressTestRecord {
  /** Full name: suites and test joined with ` > `. */
  readonly name: string;
  /** Test file, relative to the project root, with `/` separators. */
  readonly file: string;
  readonly project: string;
  readonly state: StressTestState;
  readonly duration_ms: number | null;
  /** First line of each error the test failed with. */
  readonly errors: readonly string[];
  /** The stress options of the test's last engine run, JSON-plain (the target as its module path). */
  readonly options: JsonObject;
  /** Engine runs the test made (a chaos property makes one per generated case). */
  readonly runs: number;
  /** Metrics JSON v1 of the last run, or of the failing run of a chaos property; null without a run. */
  readonly metrics: MetricsReport | null;
  /** Snapshot merged over every run of the test, for run-level totals. */
  readonly snapshot: MetricsSnapshot | null;
  readonly invariants: InvariantReport | null;
  readonly thresholds: readonly ThresholdVerdict[];
  readonly isolation: StressTestIsolation;
  readonly replay: StressReplay | null;
  /** Present when the test made more than one engine run: lost, duplicated and failed over all of them. */
  readonly all_runs?: StressTestAllRuns;
  /** Present for a chaos property: cases asked and run, the time limit, the shrunk failing case. */
  readonly property?: StressPropertyRecord;
  /**
   * What the engine warned about during the test's runs (a chaos kind the target cannot suffer, enqueues refused
   * for a reason other than a full queue, a close that did not finish), each once with how many runs said it.
   * Absent in files written before it existed.
   */
  readonly warnings?: readonly string[];
}

/** The run's verdict and why it failed, one line each. */
export interface RunVerdict {
  readonly ok: boolean;
  readonly tests: number;
  readonly passed: number;
  readonly failed: number;
  readonly skipped: number;
  readonly threshold_failures: number;
  readonly invariant_failures: number;
  readonly isolation_violations: number;
  readonly reasons: readonly string[];
}

/** Run-level figures derived from the merged snapshot of every test. */
export interface RunTotals extends MetricsSummary {
  /** Tests that made at least one engine run. */
  readonly tests: number;
  readonly runs: number;
}

/**
 * The file the reporter (and the CLI's `run`) writes once per run, `logs/stress_test_metrics_<timestamp>.json`:
 * run-level totals from merged snapshots and one section per test; JSON-plain.
 */
export interface RunMetricsFile {
  readonly schema_version: typeof RUN_METRICS_VERSION;
  readonly kind: 'vitest-stress-run';
  /** ISO 8601. */
  readonly generated_at: string;
  readonly tool_version: string;
  readonly node_version: string;
  readonly verdict: RunVerdict;
  /** Null when no test ran the engine. */
  readonly totals: RunTotals | null;
  readonly snapshot: MetricsSnapshot | null;
  readonly tests: readonly StressTestRecord[];
}
