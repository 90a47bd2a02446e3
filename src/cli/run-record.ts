import type { StressReport } from '../engine/index.ts';
import type { IsolationViolationRecord } from '../isolation/index.ts';
import type { JsonObject } from '../protocol/index.ts';
import { createStressTestRecord, type StressTestRecord, summarizeTestReports } from '../report/index.ts';
import type { RunSettings } from './run-settings.ts';

/** Quotes an argument for a shell command line when it needs it. */
function shellWord(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replaceAll("'", `'\\''`)}'`;
}

/** The command that replays a run: the same arguments, with the seed made explicit. */
export function replayCommand(settings: RunSettings): string {
  const hasSeed = settings.argv.some((arg) => arg === '--seed' || arg.startsWith('--seed='));
  const args = [...settings.argv, ...(hasSeed ? [] : ['--seed', String(settings.seed)])];
  return ['npx', 'vitest-stress', 'run', ...args.map(shellWord)].join(' ');
}

/** The run's options as the metrics file records them (JSON-plain, the target as its module path). */
export function recordedOptions(settings: RunSettings): JsonObject {
  return {
    agents: settings.agents,
    messagesPerAgent: settings.messagesPerAgent,
    ratePerAgent: settings.rate,
    ...(settings.mix === undefined ? {} : { typeMix: settings.mix }),
    chaos: typeof settings.chaos === 'string' ? settings.chaos : settings.chaosLabel,
    seed: settings.seed,
    clock: settings.clock,
    profile: settings.profile,
    thresholds: settings.thresholds as JsonObject,
    target: settings.targetFile ?? 'reference',
    targetOptions: settings.targetOptions,
  };
}

/** Facts of one engine run the CLI made, for its section of the run metrics file. */
export interface CliRunFacts {
  readonly name: string;
  readonly report: StressReport;
  readonly settings: RunSettings;
  readonly violations: readonly IsolationViolationRecord[];
  readonly wallMs: number;
}

/**
 * One run as a test section of the run metrics file. Threshold and invariant failures are judged from the
 * metrics; a drain that did not finish is not among them, so it fails the section as its error.
 */
export function cliRunRecord(facts: CliRunFacts): StressTestRecord {
  const { report, settings } = facts;
  const errors =
    report.drain.status === 'drained'
      ? []
      : [
          `final drain ${report.drain.status}: ${report.drain.pending} pending, ${report.drain.processing} processing`,
        ];
  return createStressTestRecord(
    {
      name: facts.name,
      file: settings.targetFile ?? '(reference MessageQueueProcessor)',
      project: 'cli',
      state: errors.length === 0 ? 'passed' : 'failed',
      duration_ms: Math.round(facts.wallMs * 1000) / 1000,
      errors,
    },
    summarizeTestReports([report], {
      options: recordedOptions(settings),
      isolation: { mode: 'block', violations: facts.violations },
      replay: { seed: settings.seed, command: replayCommand(settings) },
    }),
  );
}
