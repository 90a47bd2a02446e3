import { readdir, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { compareMetricsRuns } from '../compare/compare-metrics-runs.ts';
import { formatRegressionMarkdown, formatRegressionText } from '../compare/format-regression.ts';
import type { MetricsReport } from '../engine/index.ts';
import { StressError } from '../protocol/index.ts';
import { EXIT, usageError } from './cli-error.ts';
import type { CliIo } from './cli-io.ts';
import { numberFlag, toleranceFlag } from './flag-values.ts';
import { type FlagSpec, parseFlags, stringFlag } from './parse-flags.ts';
import { readResultFile } from './read-result-file.ts';

const USAGE =
  'vitest-stress compare <baseline.json|dir> <current.json|dir> [--tolerance 10%] [--format text|md|json] (see `vitest-stress compare --help`)';

/** `vitest-stress compare --help`. */
export const COMPARE_HELP = `Usage: vitest-stress compare <baseline> <current> [options]

Regression check between two metrics files, or two sets of repeated runs: each argument is a metrics file
(logs/stress_test_metrics_*.json, or a metrics report v1) or a directory whose *.json files are repeats of
one configuration. A metric worse than the baseline by more than the tolerance is a regression; with two or
more runs on both sides it must also be significant (one-sided permutation test, simple-statistics). Lost
units, order violations and priority inversions regress on any increase. Exit 1 on a regression, 2 on bad input.

Options
  --tolerance T          relative change allowed: 10% or 0.1                          (default 10%)
  --alpha A              significance level when both sides have repeats               (default 0.05)
  --test NAME            the test to compare when a run file holds several
  --format F             text | md (GitHub Markdown for a pull request) | json         (default text)
  -h, --help             this help

Examples
  vitest-stress compare baseline/stress_test_metrics_20250128_143000.json logs/stress_test_metrics_20250129_090000.json
  vitest-stress compare baseline-runs/ current-runs/ --tolerance 5% --format md >> "$GITHUB_STEP_SUMMARY"
`;

const FLAGS: FlagSpec = {
  tolerance: { type: 'string' },
  alpha: { type: 'string' },
  test: { type: 'string' },
  format: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
};

async function filesOf(argument: string, cwd: string): Promise<string[]> {
  const path = resolve(cwd, argument);
  const info = await stat(path).catch(() => undefined);
  if (info?.isDirectory()) {
    const names = (await readdir(path)).filter((name) => name.endsWith('.json')).sort();
    if (names.length === 0) throw usageError(`Directory "${argument}" holds no .json metrics files.`, USAGE);
    return names.map((name) => join(path, name));
  }
  return [path];
}

async function runsOf(argument: string, cwd: string, test: string | undefined): Promise<MetricsReport[]> {
  const runs: MetricsReport[] = [];
  for (const path of await filesOf(argument, cwd)) {
    const result = await readResultFile(path);
    if (result.kind === 'metrics') {
      runs.push(result.file);
      continue;
    }
    if (result.kind !== 'run') {
      throw new StressError(
        'ERR_INVALID_METRICS_FILE',
        `Expected ${path} to be a metrics file, got a ${result.kind} file.`,
      );
    }
    const measured = result.file.tests.filter(
      (t) => t.metrics !== null && (test === undefined || t.name === test),
    );
    if (measured.length !== 1) {
      const names = result.file.tests.map((t) => `"${t.name}"`).join(', ');
      throw usageError(
        test === undefined
          ? `Run file ${path} holds ${measured.length} measured tests (${names}); choose one with --test.`
          : `Run file ${path} has no measured test named "${test}" (tests: ${names}).`,
        USAGE,
      );
    }
    runs.push(measured[0]!.metrics!);
  }
  return runs;
}

/** `vitest-stress compare`: a regression check between two metrics files or two sets of runs. */
export async function compareCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseFlags(argv, FLAGS, USAGE, 2);
  if (values.help === true) {
    io.stdout.write(COMPARE_HELP);
    return EXIT.ok;
  }
  if (positionals.length !== 2) {
    throw usageError(
      `Expected a baseline and a current metrics file, got ${positionals.length} argument(s).`,
      USAGE,
    );
  }
  const tolerance = toleranceFlag(stringFlag(values, 'tolerance'), 'tolerance', USAGE) ?? 0.1;
  const alpha = numberFlag(stringFlag(values, 'alpha'), 'alpha', { min: 0, max: 0.5 }, USAGE) ?? 0.05;
  const format = stringFlag(values, 'format') ?? 'text';
  if (format !== 'text' && format !== 'md' && format !== 'json') {
    throw usageError(`Expected \`--format\` to be "text", "md" or "json", got "${format}".`, USAGE);
  }
  const test = stringFlag(values, 'test');
  const baseline = await runsOf(positionals[0]!, io.cwd, test);
  const current = await runsOf(positionals[1]!, io.cwd, test);
  const report = compareMetricsRuns(baseline, current, { tolerance, alpha });
  if (format === 'json') io.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  else io.stdout.write(format === 'md' ? formatRegressionMarkdown(report) : formatRegressionText(report));
  return report.ok ? EXIT.ok : EXIT.failed;
}
