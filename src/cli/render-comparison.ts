import type { ComparisonFile } from '../compare/index.ts';
import type { LatencyStats } from '../engine/index.ts';

const ms = (value: number | null): string => (value === null ? '–' : value.toFixed(2));
const rate = (value: number | null): string => (value === null ? '–' : `${(value * 100).toFixed(2)}%`);
const per = (value: number | null): string => (value === null ? '–' : value.toFixed(1));
const times = (value: number | null): string => (value === null ? '–' : `${value.toFixed(2)}x`);

const HEADER = ['Metric', 'Mock core', 'Real inbox core', 'Real/Mock'];

function rows(file: ComparisonFile): string[][] {
  const { mock, real, ratios: r } = file;
  const latency = (key: keyof LatencyStats, label: string, ratio: number | null): string[] => [
    label,
    ms(mock.latency_stats[key]),
    ms(real.latency_stats[key]),
    times(ratio),
  ];
  return [
    ['Throughput (units/s)', per(mock.throughput), per(real.throughput), times(r.throughput)],
    ['Success rate', rate(mock.success_rate), rate(real.success_rate), times(r.success_rate)],
    latency('avg_ms', 'Latency avg (ms)', r.latency_avg),
    latency('p50_ms', 'Latency p50 (ms)', r.latency_p50),
    latency('p95_ms', 'Latency p95 (ms)', r.latency_p95),
    latency('p99_ms', 'Latency p99 (ms)', r.latency_p99),
    ['Delivered units', String(mock.invariants.delivered), String(real.invariants.delivered), ''],
    ['Lost units', String(mock.invariants.lost), String(real.invariants.lost), ''],
  ];
}

function footer(file: ComparisonFile): string[] {
  const { inbox, workspace } = file;
  return [
    inbox.ok
      ? `Inbox check: OK, ${inbox.files} inbox file(s) = ${inbox.delivered} real deliveries.`
      : `Inbox check: FAILED, ${inbox.files} inbox file(s) for ${inbox.delivered} real deliveries: ` +
        `${inbox.missing_count} missing, ${inbox.unexpected_count} unexpected.`,
    workspace.removed
      ? `Temporary workspace ${workspace.path} removed.`
      : `Temporary workspace ${workspace.path} could NOT be removed.`,
  ];
}

const title = (file: ComparisonFile): string =>
  `Comparison mode: the same workload and seed (${file.mock.run.seed}) against the mock core and the real InboxMessagingCore`;

/**
 * Renders comparison mode's side-by-side table: throughput, success and latency percentiles of the mock and
 * the real core with real ÷ mock ratios, then the inbox check and the fate of the temporary workspace. Pure.
 */
export function renderComparison(file: ComparisonFile): string {
  const table = [HEADER, ...rows(file)];
  const widths = HEADER.map((_, column) => Math.max(...table.map((row) => (row[column] as string).length)));
  const line = (row: readonly string[]): string =>
    row
      .map((cell, column) =>
        column === 0 ? cell.padEnd(widths[0] as number) : cell.padStart(widths[column] as number),
      )
      .join('  ')
      .trimEnd();
  return [
    title(file),
    '',
    line(HEADER),
    line(widths.map((width) => '-'.repeat(width))),
    ...rows(file).map(line),
    '',
    ...footer(file),
    '',
  ].join('\n');
}

/** The same comparison as Markdown, for a pull request or a job summary. */
export function renderComparisonMarkdown(file: ComparisonFile): string {
  return [
    `## ${file.ok ? '✅' : '❌'} vitest-stress comparison`,
    '',
    title(file),
    '',
    `| ${HEADER.join(' | ')} |`,
    '| :--- | ---: | ---: | ---: |',
    ...rows(file).map((row) => `| ${row.join(' | ')} |`),
    '',
    ...footer(file).map((line) => `- ${line}`),
    ...file.failures.map((failure) => `- ❌ ${failure}`),
    '',
  ].join('\n');
}
