import { describeViolation } from '../isolation/index.ts';
import { renderLatencyChart } from './render-latency-chart.ts';
import { renderTimelineChart } from './render-timeline-chart.ts';
import type { RunMetricsFile, StressTestRecord } from './run-metrics-file.ts';
import {
  describeProperty,
  formatCount,
  formatMs,
  formatRate,
  formatRefused,
  formatThroughput,
  type TestVerdict,
  testFigures,
  testLosses,
  testRow,
  testVerdict,
} from './summary-figures.ts';

const ICON: Record<TestVerdict, string> = { PASS: '✅', FAIL: '❌', SKIP: '⏭️' };

/** Escapes text for a Markdown table cell or inline text. */
function cell(text: string): string {
  return text.replaceAll('\\', '\\\\').replaceAll('|', '\\|').replaceAll('\n', ' ');
}

const code = (text: string): string => `\`${text.replaceAll('`', "'")}\``;

function table(headers: readonly string[], rows: readonly (readonly string[])[], right = 1): string[] {
  const align = headers.map((_, i) => (i < right ? ':---' : '---:'));
  return [
    `| ${headers.join(' | ')} |`,
    `| ${align.join(' | ')} |`,
    ...rows.map((row) => `| ${row.join(' | ')} |`),
  ];
}

function describeChaos(test: StressTestRecord): string {
  const chaos = test.metrics?.run.chaos as { name?: unknown } | null | undefined;
  if (chaos == null) return 'none';
  return typeof chaos.name === 'string' ? chaos.name : 'custom';
}

function testSection(test: StressTestRecord): string[] {
  const verdict = testVerdict(test);
  const m = test.metrics;
  const inv = test.invariants;
  // Several runs (a chaos property's cases) are shown merged, as the totals count them; one run as it was.
  const f = testFigures(test);
  const losses = testLosses(test);
  const units = test.runs > 1 ? test.snapshot?.units : inv;
  const lines = [`### ${ICON[verdict]} ${cell(test.name)}`, '', `${code(test.file)} · ${test.state}`, ''];
  const property = describeProperty(test);
  if (property !== null) lines.push(`**Chaos property:** ${cell(property)}`, '');
  if (m === null || f === null) {
    lines.push('No engine run recorded.', '');
  } else {
    const rows: [string, string][] = [
      ...(test.runs > 1
        ? []
        : ([
            ['Agents × messages per agent', `${m.run.agents} × ${formatCount(m.run.messages_per_agent)}`],
            ['Chaos', describeChaos(test)],
            ['Seed', String(m.run.seed)],
          ] as [string, string][])),
      ['Engine runs', formatCount(test.runs)],
      ['Delivery units sent', formatCount(units?.sent)],
      ['Delivered', formatCount(units?.delivered)],
      ['Success rate', formatRate(f.success_rate)],
      [
        'Latency p50 / p95 / p99 (ms)',
        [f.latency_stats.p50_ms, f.latency_stats.p95_ms, f.latency_stats.p99_ms].map(formatMs).join(' / '),
      ],
      ['Latency max (ms)', formatMs(f.latency_stats.max_ms)],
      ['Throughput (units/s)', formatThroughput(f.throughput)],
      ['Refused at enqueue', formatRefused(f.rejected, f.rejected_rate)],
      ['Lost', formatCount(losses.lost)],
      ['Duplicated', formatCount(losses.duplicated)],
      ['Retries', formatCount(f.retries)],
      ['Dead-lettered', formatCount(f.dead_lettered)],
      ['Simulated duration (s)', formatMs(f.duration)],
    ];
    lines.push(...table(['Metric', 'Value'], rows), '');
  }
  if (test.errors.length > 0) lines.push(...test.errors.map((error) => `- ❌ ${cell(error)}`), '');
  const failing = test.thresholds.filter((threshold) => !threshold.ok);
  if (failing.length > 0) {
    lines.push('**Failing thresholds**', '');
    for (const t of failing) {
      lines.push(
        `- ❌ ${code(`${t.metric} ${t.expression}`)}: ${cell(t.reason ?? `measured ${t.value ?? 'no value'}`)}`,
      );
    }
    lines.push('');
  }
  if (inv !== null && !inv.valid) {
    lines.push('**Broken invariants**', '', ...inv.violations.map((v) => `- ❌ ${cell(v)}`), '');
  }
  if (test.isolation.violations.length > 0) {
    lines.push('**Isolation violations**', '');
    for (const v of test.isolation.violations) lines.push(`- ⛔ ${cell(describeViolation(v))}`);
    lines.push('');
  }
  if ((test.warnings?.length ?? 0) > 0) {
    lines.push('**Warnings**', '', ...test.warnings!.map((warning) => `- ⚠️ ${cell(warning)}`), '');
  }
  if (test.replay?.command !== undefined && (test.state === 'failed' || test.replay.path !== undefined)) {
    lines.push('**Replay**', '', '```sh', test.replay.command, '```', '');
    if (test.replay.counterexample !== undefined) {
      lines.push(
        '<details><summary>Shrunk counterexample</summary>',
        '',
        '```',
        test.replay.counterexample,
        '```',
        '',
        '</details>',
        '',
      );
    }
  }
  const chart = f === null ? '' : renderLatencyChart(`${test.name}: latency (ms)`, f.latency_stats);
  if (chart !== '')
    lines.push('<details><summary>Latency percentiles</summary>', '', chart, '', '</details>', '');
  const timeline = m?.timeline ? renderTimelineChart(test.name, m.timeline) : '';
  if (timeline !== '') lines.push('**Timeline**', '', timeline, '');
  return lines;
}

/**
 * Renders the run for a pull request: the verdict first (and why it failed), the totals, a table of the tests,
 * then per test a table, failing thresholds and violations spelled out, replay lines and a Mermaid chart
 * of the latency percentiles. Pure: returns the Markdown.
 */
export function renderMarkdownSummary(file: RunMetricsFile): string {
  const v = file.verdict;
  const lines = [
    v.ok ? '## ✅ vitest-stress: passed' : '## ❌ vitest-stress: failed',
    '',
    `${v.tests} test${v.tests === 1 ? '' : 's'}: ${v.passed} passed, ${v.failed} failed, ${v.skipped} skipped · ` +
      `${v.threshold_failures} threshold failure(s) · ${v.invariant_failures} broken invariant(s) · ` +
      `${v.isolation_violations} isolation violation(s)`,
    '',
  ];
  if (v.reasons.length > 0)
    lines.push('**Why the run failed**', '', ...v.reasons.map((r) => `- ${cell(r)}`), '');
  const t = file.totals;
  if (t !== null) {
    lines.push(
      ...table(
        ['Units', 'Success', 'p50 ms', 'p95 ms', 'p99 ms', 'Max ms', 'Units/s', 'Retries', 'Duplicates'],
        [
          [
            formatCount(t.total_processed),
            formatRate(t.success_rate),
            formatMs(t.latency_stats.p50_ms),
            formatMs(t.latency_stats.p95_ms),
            formatMs(t.latency_stats.p99_ms),
            formatMs(t.latency_stats.max_ms),
            formatThroughput(t.throughput),
            formatCount(t.retries),
            formatCount(t.duplicate_deliveries),
          ],
        ],
        0,
      ),
      '',
    );
  }
  lines.push(
    ...table(
      [
        'Test',
        'Units',
        'Success',
        'Refused',
        'p50 ms',
        'p95 ms',
        'p99 ms',
        'Units/s',
        'Lost',
        'Dup',
        'Verdict',
      ],
      file.tests.map((test) => {
        const row = testRow(test);
        return [
          cell(test.name),
          row.units,
          row.success,
          row.refused,
          row.p50,
          row.p95,
          row.p99,
          row.throughput,
          row.lost,
          row.duplicated,
          `${ICON[row.verdict]} ${row.verdict}`,
        ];
      }),
    ),
    '',
  );
  if (t !== null) {
    const chart = renderLatencyChart('All tests: latency percentiles (ms)', t.latency_stats);
    if (chart !== '') lines.push(chart, '');
  }
  for (const test of file.tests) lines.push(...testSection(test));
  lines.push(
    `<sub>Generated ${file.generated_at} by vitest-stress ${file.tool_version} on Node ${file.node_version}. ` +
      'Units are delivery units (one message to one recipient); times are on the run clock.</sub>',
    '',
  );
  return lines.join('\n');
}
