import { Chalk, type ChalkInstance } from 'chalk';
import { renderSparkline } from './render-sparkline.ts';
import type { RunMetricsFile } from './run-metrics-file.ts';
import {
  describeProperty,
  formatCount,
  formatMs,
  formatRate,
  formatRefused,
  formatThroughput,
  type TestVerdict,
  testLosses,
  testRow,
} from './summary-figures.ts';

/** Options of {@link renderTerminalSummary}. */
export interface TerminalSummaryOptions {
  /** Colour with ANSI codes; see {@link shouldUseColor}. @default false */
  readonly color?: boolean;
  /** Files the run wrote, listed at the end. @default {} */
  readonly files?: { readonly metrics?: string; readonly summary?: string; readonly html?: string };
  /** Longest test name shown before it is cut with `…`. @default 48 */
  readonly nameWidth?: number;
  /** Most tests whose sparklines "Over time" shows (failed tests first); the HTML report has every one. @default 8 */
  readonly maxTimelines?: number;
}

/** True when a stream should get colours: a TTY and `NO_COLOR` unset or empty (https://no-color.org). */
export function shouldUseColor(
  stream: { readonly isTTY?: boolean } = process.stdout,
  env: Readonly<Record<string, string | undefined>> = process.env,
): boolean {
  return stream.isTTY === true && (env.NO_COLOR === undefined || env.NO_COLOR === '');
}

const HEADERS = [
  'Test',
  'Units',
  'Success',
  'Refused',
  'p95 ms',
  'p99 ms',
  'Msg/s',
  'Lost',
  'Dup',
  'Verdict',
] as const;

function cut(text: string, width: number): string {
  return text.length <= width ? text : `${text.slice(0, width - 1)}…`;
}

function paint(chalk: ChalkInstance, verdict: TestVerdict): string {
  if (verdict === 'PASS') return chalk.green(verdict);
  if (verdict === 'FAIL') return chalk.red.bold(verdict);
  return chalk.yellow(verdict);
}

/**
 * Renders the run for a terminal: the verdict, one row per test (units, success rate, p95/p99, throughput,
 * lost, duplicated, verdict), the totals, why the run failed and how to replay a failing chaos property.
 * Pure: returns the text; colours only when `color` is set.
 */
export function renderTerminalSummary(file: RunMetricsFile, options: TerminalSummaryOptions = {}): string {
  const chalk = new Chalk({ level: options.color ? 1 : 0 });
  const nameWidth = options.nameWidth ?? 48;
  const rows = file.tests.map((test) => {
    const row = testRow(test);
    return {
      cells: [
        cut(test.name, nameWidth),
        row.units,
        row.success,
        row.refused,
        row.p95,
        row.p99,
        row.throughput,
        row.lost,
        row.duplicated,
        row.verdict,
      ],
      verdict: row.verdict,
    };
  });
  const t = file.totals;
  const totals = [
    'Total',
    formatCount(t?.total_processed),
    formatRate(t?.success_rate),
    formatRefused(t?.rejected, t?.rejected_rate),
    formatMs(t?.latency_stats.p95_ms),
    formatMs(t?.latency_stats.p99_ms),
    formatThroughput(t?.throughput),
    formatCount(file.tests.reduce((n, test) => n + (testLosses(test).lost ?? 0), 0)),
    formatCount(file.tests.reduce((n, test) => n + (testLosses(test).duplicated ?? 0), 0)),
    file.verdict.ok ? 'PASS' : 'FAIL',
  ];
  const widths = HEADERS.map((header, i) =>
    Math.max(header.length, totals[i]!.length, ...rows.map((row) => row.cells[i]!.length)),
  );
  const line = (cells: readonly string[], verdict?: TestVerdict): string =>
    cells
      .map((cell, i) => {
        const padded = i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!);
        return i === cells.length - 1 && verdict ? padded.replace(cell, paint(chalk, verdict)) : padded;
      })
      .join('  ')
      .replace(/\s+$/, '');
  const v = file.verdict;
  const headline = v.ok ? chalk.bgGreen.black(' PASS ') : chalk.bgRed.white.bold(' FAIL ');
  const out = [
    `${chalk.bold('vitest-stress')} ${headline} ${v.tests} test${v.tests === 1 ? '' : 's'}: ${v.passed} passed, ${v.failed} failed, ${v.skipped} skipped; ${v.threshold_failures} threshold failure(s), ${v.isolation_violations} isolation violation(s)`,
    '',
    chalk.dim(line(HEADERS)),
    ...rows.map((row) => line(row.cells, row.verdict)),
    chalk.dim('-'.repeat(widths.reduce((sum, width) => sum + width + 2, -2))),
    line(totals, v.ok ? 'PASS' : 'FAIL'),
    chalk.dim(
      'Units are delivery units (one message to one recipient); latency and throughput on the run clock.',
    ),
    chalk.dim("A test's row covers all its runs (every case of a chaos property), as the totals do."),
  ];
  const properties = file.tests.filter((test) => test.property !== undefined);
  if (properties.length > 0) {
    out.push('', chalk.bold('Chaos properties:'));
    for (const test of properties) out.push(`  ${test.name}: ${describeProperty(test)}`);
  }
  const timelines = file.tests.filter((test) => (test.metrics?.timeline?.intervals.length ?? 0) > 0);
  if (timelines.length > 0) out.push('', chalk.bold('Over time:'));
  // A long suite keeps its summary short: the failed tests first, then the others in file order, up to the limit.
  const limit = options.maxTimelines ?? 8;
  const chosen = new Set(
    [
      ...timelines.filter((test) => test.state === 'failed'),
      ...timelines.filter((test) => test.state !== 'failed'),
    ].slice(0, limit),
  );
  for (const test of timelines.filter((candidate) => chosen.has(candidate))) {
    const lines = renderSparkline(test.metrics!.timeline!, {
      color: options.color === true,
      highlight: (text) => chalk.magenta(text),
    });
    out.push(`  ${test.name}`, ...lines.map((line) => `    ${line}`));
  }
  if (timelines.length > chosen.size) {
    out.push(
      chalk.dim(
        `  … ${timelines.length - chosen.size} more test(s): every test's timeline is in the HTML report`,
      ),
    );
  }
  if (v.reasons.length > 0) {
    out.push('', chalk.red.bold('Why the run failed:'), ...v.reasons.map((reason) => `  - ${reason}`));
  }
  const warned = file.tests.filter((test) => (test.warnings?.length ?? 0) > 0);
  if (warned.length > 0) {
    out.push('', chalk.yellow.bold('Warnings:'));
    for (const test of warned) {
      out.push(`  ${test.name}:`, ...test.warnings!.map((warning) => `    - ${chalk.yellow(warning)}`));
    }
  }
  const replays = file.tests.filter((test) => test.replay?.command !== undefined && test.state === 'failed');
  if (replays.length > 0) {
    out.push('', chalk.bold('Replay:'));
    for (const test of replays) out.push(`  ${test.name}:`, `    ${chalk.cyan(test.replay!.command!)}`);
  }
  const files = options.files ?? {};
  if (files.metrics !== undefined || files.summary !== undefined) {
    out.push('');
    if (files.metrics !== undefined) out.push(`${chalk.dim('Metrics:')} ${files.metrics}`);
    if (files.summary !== undefined) out.push(`${chalk.dim('Summary:')} ${files.summary}`);
    if (files.html !== undefined) out.push(`${chalk.dim('Report:')}  ${files.html}`);
  }
  return `${out.join('\n')}\n`;
}
