import type { MetricsReport } from '../engine/index.ts';

const dash = '–';
const count = (value: number | null | undefined): string =>
  value == null ? dash : value.toLocaleString('en-US');
const rate = (value: number | null): string => (value === null ? dash : `${(value * 100).toFixed(2)}%`);
const ms = (value: number | null): string => (value === null ? dash : String(Math.round(value * 100) / 100));
const per = (value: number | null): string => (value === null ? dash : value.toFixed(1));

function chaosName(report: MetricsReport): string {
  const chaos = report.run.chaos as { name?: unknown } | null;
  if (chaos === null) return 'none';
  return typeof chaos.name === 'string' ? chaos.name : 'custom';
}

/** The figures of a metrics report as label/value rows, shared by the text and Markdown renderings. */
function rows(report: MetricsReport): [string, string][] {
  const inv = report.invariants;
  const l = report.latency_stats;
  return [
    ['Agents x messages per agent', `${report.run.agents} x ${count(report.run.messages_per_agent)}`],
    ['Seed / clock / chaos', `${report.run.seed} / ${report.run.clock} / ${chaosName(report)}`],
    ['Delivery units sent', count(inv.sent)],
    ['Delivered', count(inv.delivered)],
    ['Success rate', rate(report.success_rate)],
    ['Throughput (units/s)', per(report.throughput)],
    ['Latency avg / p50 / p95 / p99 (ms)', [l.avg_ms, l.p50_ms, l.p95_ms, l.p99_ms].map(ms).join(' / ')],
    ['Latency max (ms)', ms(l.max_ms)],
    [
      'Lost / duplicated / dead-lettered',
      `${count(inv.lost)} / ${count(inv.duplicated)} / ${count(inv.dead_lettered)}`,
    ],
    ['Retries', count(report.retries)],
    ['Simulated duration (s)', ms(report.duration)],
    ['Invariants', inv.valid ? 'hold' : `BROKEN (${inv.violations.length})`],
    ['Thresholds', `${report.thresholds.filter((t) => t.ok).length}/${report.thresholds.length} passed`],
  ];
}

function problems(report: MetricsReport): string[] {
  return [
    ...report.invariants.violations,
    ...report.thresholds
      .filter((t) => !t.ok)
      .map(
        (t) =>
          `threshold ${t.metric} ${t.expression} failed: ${t.reason ?? `measured ${t.value ?? 'no value'}`}`,
      ),
  ];
}

/** Renders one metrics report (v1) as plain text: a figure table, then what failed and how to replay it. */
export function renderMetricsReportText(report: MetricsReport): string {
  const table = rows(report);
  const width = Math.max(...table.map(([label]) => label.length));
  const verdict = problems(report);
  return [
    `vitest-stress metrics report ${verdict.length === 0 ? 'PASS' : 'FAIL'}`,
    '',
    ...table.map(([label, value]) => `${label.padEnd(width)}  ${value}`),
    ...(verdict.length > 0 ? ['', 'Why it failed:', ...verdict.map((line) => `  - ${line}`)] : []),
    ...(report.replay?.command ? ['', `Replay: ${report.replay.command}`] : []),
    '',
  ].join('\n');
}

/** Renders one metrics report (v1) as Markdown for a pull request. */
export function renderMetricsReportMarkdown(report: MetricsReport): string {
  const verdict = problems(report);
  const cell = (text: string): string => text.replaceAll('|', '\\|');
  return [
    `## ${verdict.length === 0 ? '✅' : '❌'} vitest-stress metrics report`,
    '',
    '| Metric | Value |',
    '| :--- | ---: |',
    ...rows(report).map(([label, value]) => `| ${cell(label)} | ${cell(value)} |`),
    ...(verdict.length > 0 ? ['', ...verdict.map((line) => `- ❌ ${cell(line)}`)] : []),
    ...(report.replay?.command ? ['', '```sh', report.replay.command, '```'] : []),
    '',
  ].join('\n');
}
