import { join } from 'node:path';
import type { ComparisonResult } from '../compare/index.ts';
import type { StressReport, StressTargetFactory } from '../engine/index.ts';
import {
  describeViolation,
  ISOLATION_TEMP_DIRECTORY,
  type IsolationViolationRecord,
  installIsolationGuard,
} from '../isolation/index.ts';
import { StressError } from '../protocol/index.ts';
import { createReferenceTarget } from '../reference/reference-target.ts';
import { createStressRunner, type NodeStressOptions } from '../reference/run-stress.ts';
import {
  buildRunMetricsFile,
  formatRunTimestamp,
  renderTerminalSummary,
  writeRunFiles,
} from '../report/index.ts';
import { EXIT } from './cli-error.ts';
import { type CliIo, colorFor } from './cli-io.ts';
import {
  enableTypeScriptModules,
  importUserModule,
  isTypeScriptModule,
  resolveModulePath,
} from './load-user-module.ts';
import { attachProgressBar } from './progress-bar.ts';
import { renderComparison } from './render-comparison.ts';
import { renderRunDetails } from './render-run-details.ts';
import { RUN_HELP } from './run-help.ts';
import { cliRunRecord, replayCommand } from './run-record.ts';
import { parseRunSettings, type RunSettings } from './run-settings.ts';
import { atomicWriteJson } from './write-json.ts';

interface Outcome {
  readonly single?: { readonly report: StressReport; readonly wallMs: number };
  readonly comparison?: {
    readonly result: ComparisonResult;
    readonly wallMs: number;
    readonly file: ReturnType<typeof import('../compare/index.ts').comparisonFile>;
  };
}

async function loadTarget(settings: RunSettings): Promise<StressTargetFactory> {
  if (settings.target === undefined) return createReferenceTarget();
  const exports = await importUserModule(settings.target, 'the target module');
  const factory = exports.createTarget ?? exports.createStressTarget ?? exports.default;
  if (typeof factory !== 'function') {
    throw new StressError(
      'ERR_TARGET_MODULE',
      `Expected the target module ${settings.target} to export \`createTarget\` (or a default export): a StressTargetFactory ` +
        `(context) => StressTarget, got exports ${Object.keys(exports).join(', ') || '(none)'}.`,
    );
  }
  return factory as StressTargetFactory;
}

function stressOptions(settings: RunSettings, target: StressTargetFactory): NodeStressOptions {
  return {
    target,
    targetOptions: settings.targetOptions,
    agents: settings.agents,
    messagesPerAgent: settings.messagesPerAgent,
    arrival: { kind: 'open', ratePerAgent: settings.rate },
    ...(settings.mix === undefined ? {} : { typeMix: settings.mix }),
    chaos: settings.chaos,
    seed: settings.seed,
    // Without --clock the target may require the real clock (vitest-stress/bullmq does); the default is virtual.
    ...(settings.clockGiven === false ? {} : { clock: settings.clock }),
    profile: settings.profile,
    thresholds: settings.thresholds,
  };
}

type CompareModule = typeof import('../compare/index.ts');

async function execute(
  settings: RunSettings,
  io: CliIo,
  compare: CompareModule | undefined,
): Promise<Outcome> {
  const stress = stressOptions(settings, await loadTarget(settings));
  const started = performance.now();
  if (settings.compare) {
    const { comparisonFile, runComparison } = compare as CompareModule;
    const result = await runComparison({
      stress,
      onRunner: (runner, side) =>
        attachProgressBar(runner, { stream: settings.json ? undefined : io.progressStream, label: side }),
    });
    return { comparison: { result, wallMs: performance.now() - started, file: comparisonFile(result) } };
  }
  const runner = createStressRunner(stress);
  attachProgressBar(runner, { stream: settings.json ? undefined : io.progressStream });
  const report = await runner.run({ seed: settings.seed, command: replayCommand(settings) });
  return { single: { report, wallMs: performance.now() - started } };
}

function runName(settings: RunSettings): string {
  const chaos = settings.chaosLabel === 'none' ? '' : `, chaos ${settings.chaosLabel}`;
  return `${settings.agents} agents x ${settings.messagesPerAgent} messages, seed ${settings.seed}${chaos}`;
}

function shortName(settings: RunSettings): string {
  return `${settings.agents}x${settings.messagesPerAgent}, seed ${settings.seed}`;
}

/** `vitest-stress run`: parses its flags, runs under the isolation guard, writes and prints the results. */
export async function runCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const settings = parseRunSettings(argv, io.cwd);
  if (settings.help) {
    io.stdout.write(RUN_HELP);
    return EXIT.ok;
  }
  if (settings.target !== undefined) {
    resolveModulePath(settings.targetArg ?? settings.target, io.cwd, 'the target module');
    // Hooks are registered before the guard: the guard then polices what the target itself loads.
    if (isTypeScriptModule(settings.target)) await enableTypeScriptModules();
  }
  // Comparison mode needs the real InboxMessagingCore, which the guard forbids: load it before installing the
  // guard, and only for --compare, so a plain run never has the real core in the process at all.
  const compare = settings.compare ? await import('../compare/index.ts') : undefined;
  const guard = await installIsolationGuard({
    root: io.cwd,
    allowedPaths: [settings.out, ISOLATION_TEMP_DIRECTORY],
  });
  let outcome: Outcome | undefined;
  let failure: unknown;
  let violations: readonly IsolationViolationRecord[] = [];
  try {
    outcome = await execute(settings, io, compare);
  } catch (error) {
    failure = error;
  } finally {
    violations = guard.violations();
    guard.uninstall();
  }
  if (outcome === undefined) {
    if (violations.length === 0) throw failure;
    for (const violation of violations) io.stderr.write(`vitest-stress: ${describeViolation(violation)}\n`);
    io.stderr.write(`vitest-stress: the run stopped: ${(failure as Error)?.message ?? String(failure)}\n`);
    return EXIT.failed;
  }
  return report(settings, outcome, violations, io);
}

async function report(
  settings: RunSettings,
  outcome: Outcome,
  violations: readonly IsolationViolationRecord[],
  io: CliIo,
): Promise<number> {
  const name = runName(settings);
  const comparison = outcome.comparison;
  const tests = comparison
    ? [
        cliRunRecord({
          name: `mock core, ${shortName(settings)}`,
          report: comparison.result.mock,
          settings,
          violations,
          wallMs: comparison.wallMs,
        }),
        cliRunRecord({
          name: `real inbox core, ${shortName(settings)}`,
          report: comparison.result.real,
          settings,
          violations: [],
          wallMs: comparison.wallMs,
        }),
      ]
    : [
        cliRunRecord({
          name,
          report: outcome.single!.report,
          settings,
          violations,
          wallMs: outcome.single!.wallMs,
        }),
      ];
  const extraReasons = comparison ? comparison.result.failures.filter((f) => !/^(mock|real): /.test(f)) : [];
  const generatedAt = new Date();
  const file = buildRunMetricsFile({ tests, extraReasons, generatedAt });
  const paths = await writeRunFiles({
    file,
    directory: settings.out,
    root: io.cwd,
    now: generatedAt,
    stepSummary: io.env.GITHUB_STEP_SUMMARY,
  });
  let comparisonPath: string | undefined;
  if (comparison) {
    comparisonPath = join(settings.out, `stress_test_comparison_${formatRunTimestamp(generatedAt)}.json`);
    await atomicWriteJson(comparisonPath, comparison.file);
  }
  const reports = comparison ? [comparison.result.mock, comparison.result.real] : [outcome.single!.report];
  for (const warning of new Set(reports.flatMap((r) => r.warnings)))
    io.stderr.write(`vitest-stress: warning: ${warning}\n`);
  if (settings.json) {
    io.stdout.write(`${JSON.stringify(comparison ? comparison.file : file, null, 2)}\n`);
  } else {
    io.stdout.write(renderTerminalSummary(file, { color: colorFor(io.stdout, io.env), files: paths }));
    if (!comparison) io.stdout.write(`\n${renderRunDetails(outcome.single!.report.metrics)}`);
    if (comparison) io.stdout.write(`\n${renderComparison(comparison.file)}`);
    if (comparisonPath !== undefined) io.stdout.write(`Comparison: ${comparisonPath}\n`);
  }
  const ok = file.verdict.ok && (comparison?.result.ok ?? true);
  return ok ? EXIT.ok : EXIT.failed;
}
