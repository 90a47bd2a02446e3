import { mergeSnapshots } from '../engine/metrics/merge-snapshots.ts';
import type { StressReport } from '../engine/runner/stress-report.ts';
import type { JsonObject } from '../protocol/index.ts';
import type {
  StressPropertyRecord,
  StressReplay,
  StressTestAllRuns,
  StressTestIsolation,
  StressTestRecord,
  StressTestState,
} from './run-metrics-file.ts';

/**
 * What a test measured, JSON-plain: the part of a {@link StressTestRecord} the test itself knows. The Vitest
 * fixture puts it in `task.meta.stressResult`; the reporter adds the test's name, file and state.
 */
export type StressTestResult = Pick<
  StressTestRecord,
  'options' | 'runs' | 'metrics' | 'snapshot' | 'isolation' | 'replay' | 'warnings' | 'all_runs' | 'property'
>;

/** At most this many distinct warnings per test; the rest are counted in one last line. */
const MAX_WARNINGS = 20;

/** The distinct warnings of a test's runs, in first-seen order, each with how many runs gave it when more than one. */
export function collectWarnings(reports: readonly StressReport[]): string[] {
  const counts = new Map<string, number>();
  for (const report of reports) {
    for (const warning of new Set(report.warnings)) counts.set(warning, (counts.get(warning) ?? 0) + 1);
  }
  const lines = [...counts].map(([warning, runs]) =>
    runs > 1 ? `${warning} (in ${runs} of ${reports.length} runs)` : warning,
  );
  if (lines.length <= MAX_WARNINGS) return lines;
  return [...lines.slice(0, MAX_WARNINGS), `... and ${lines.length - MAX_WARNINGS} more distinct warning(s)`];
}

/** A property that ran fewer cases than asked says so: a plain pass would hide how little it tried. */
function propertyWarnings(property: StressPropertyRecord | undefined): string[] {
  if (property === undefined || !property.interrupted || property.shrunk_case !== null) return [];
  if (property.cases_run >= property.cases_asked) return [];
  return [
    `ran ${property.cases_run} of the ${property.cases_asked} property cases asked: the ${property.time_limit_ms} ms ` +
      "time limit stopped generation (raise timeLimitMs or the project's propertyTimeLimitMs, or ask for fewer cases)",
  ];
}

/** What {@link summarizeTestReports} needs besides the reports. */
export interface TestReportsContext {
  /** The options of the last run, JSON-plain. @default {} */
  readonly options?: JsonObject;
  /** @default { mode: 'off', violations: [] } */
  readonly isolation?: StressTestIsolation;
  /** @default the last report's replay info, or null */
  readonly replay?: StressReplay | null;
  /** The report whose metrics represent the test (a chaos property's failing run). @default the last one */
  readonly representative?: StressReport;
  /** What the chaos property did, for a property test. */
  readonly property?: StressPropertyRecord;
}

/** Lost, duplicated and failed over several runs; undefined for fewer than two (the one report says it all). */
export function countAllRuns(reports: readonly StressReport[]): StressTestAllRuns | undefined {
  if (reports.length < 2) return undefined;
  let lost = 0;
  let duplicated = 0;
  let failed = 0;
  for (const report of reports) {
    lost += report.invariants.lost;
    duplicated += report.invariants.duplicated;
    if (!report.ok) failed++;
  }
  return { lost, duplicated, failed };
}

/** Folds a test's engine runs into its {@link StressTestResult}: the representative report and the merged snapshot. */
export function summarizeTestReports(
  reports: readonly StressReport[],
  context: TestReportsContext = {},
): StressTestResult {
  const shown = context.representative ?? reports.at(-1);
  const allRuns = countAllRuns(reports);
  return {
    options: context.options ?? {},
    runs: reports.length,
    metrics: shown?.metrics ?? null,
    snapshot: reports.length === 0 ? null : mergeSnapshots(...reports.map((report) => report.snapshot)),
    isolation: context.isolation ?? { mode: 'off', violations: [] },
    replay: context.replay !== undefined ? context.replay : (shown?.metrics.replay ?? null),
    warnings: [...propertyWarnings(context.property), ...collectWarnings(reports)],
    ...(allRuns === undefined ? {} : { all_runs: allRuns }),
    ...(context.property === undefined ? {} : { property: context.property }),
  };
}

/** Where a test is and how it ended, as the runner (Vitest, the CLI) knows it. */
export interface StressTestIdentity {
  readonly name: string;
  /** @default '' */
  readonly file?: string;
  /** @default 'stress' */
  readonly project?: string;
  /** @default 'passed' */
  readonly state?: StressTestState;
  /** @default null */
  readonly duration_ms?: number | null;
  /** @default [] */
  readonly errors?: readonly string[];
}

/** Combines a test's identity and result into the section the run metrics file holds for it. */
export function createStressTestRecord(
  identity: StressTestIdentity,
  result: StressTestResult,
): StressTestRecord {
  return {
    name: identity.name,
    file: identity.file ?? '',
    project: identity.project ?? 'stress',
    state: identity.state ?? 'passed',
    duration_ms: identity.duration_ms ?? null,
    errors: identity.errors ?? [],
    options: result.options,
    runs: result.runs,
    metrics: result.metrics,
    snapshot: result.snapshot,
    invariants: result.metrics?.invariants ?? null,
    thresholds: result.metrics?.thresholds ?? [],
    isolation: result.isolation,
    replay: result.replay,
    warnings: result.warnings ?? [],
    ...(result.all_runs === undefined ? {} : { all_runs: result.all_runs }),
    ...(result.property === undefined ? {} : { property: result.property }),
  };
}
