import { HTML_REPORT_SCRIPT } from './html-report-script.ts';
import type { RunMetricsFile, StressTestRecord } from './run-metrics-file.ts';
import { formatMs, formatRate, formatThroughput, testRow, testVerdict } from './summary-figures.ts';
import { type TimelineSeries, timelineSeries } from './timeline-series.ts';

/** The chart library the page inlines (uPlot's minified IIFE build and its CSS). */
export interface HtmlReportAssets {
  readonly chartScript: string;
  readonly chartStyle: string;
}

// Heatmap rows beyond this many agents are summed into one "other agents" row so the page stays small.
const HEATMAP_AGENTS = 24;

const escapeHtml = (text: string): string =>
  text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;');

// Inside <script>, "</" would end the element; JSON stays valid with the escape.
const scriptJson = (value: unknown): string => JSON.stringify(value).replaceAll('<', '\\u003c');
const inlineScript = (code: string): string => code.replaceAll('</script', '<\\/script');

function heatmap(series: TimelineSeries): string {
  if (series.agents.length === 0) return '<p class="muted">No failed calls.</p>';
  const rows = series.agents.map((agent, i) => ({ agent, counts: series.failuresByAgent[i]! }));
  rows.sort((a, b) => b.counts.reduce((x, y) => x + y, 0) - a.counts.reduce((x, y) => x + y, 0));
  const shown = rows.slice(0, HEATMAP_AGENTS);
  if (rows.length > HEATMAP_AGENTS) {
    const rest = rows.slice(HEATMAP_AGENTS);
    shown.push({
      agent: `${rest.length} other agents`,
      counts: series.t.map((_, j) => rest.reduce((sum, row) => sum + row.counts[j]!, 0)),
    });
  }
  const max = Math.max(1, ...shown.flatMap((row) => row.counts));
  const body = shown
    .map((row) => {
      const cells = row.counts
        .map((count, j) => {
          const alpha = count === 0 ? 0 : 0.15 + 0.85 * (count / max);
          const title = `${row.agent}, ${series.t[j]} s: ${count} failed`;
          return `<td style="background:rgba(224,49,49,${alpha.toFixed(2)})" title="${escapeHtml(title)}"></td>`;
        })
        .join('');
      return `<tr><th>${escapeHtml(row.agent)}</th>${cells}</tr>`;
    })
    .join('');
  const last = series.t.at(-1) ?? 0;
  return `<table class="heatmap" data-agents="${shown.length}"><tbody>${body}</tbody><tfoot><tr><th></th><td colspan="${series.t.length}">0 s … ${formatMs((last + series.widthS) * 1000)} ms, one column per ${formatMs(series.widthS * 1000)} ms</td></tr></tfoot></table>`;
}

function findings(test: StressTestRecord): string {
  const inv = test.invariants ?? test.metrics?.invariants;
  const timeline = test.metrics?.timeline;
  const items: string[] = [];
  for (const violation of inv?.violations ?? []) items.push(`<li class="bad">${escapeHtml(violation)}</li>`);
  if (inv) {
    for (const [kind, units] of Object.entries(inv.examples)) {
      if (units.length === 0) continue;
      items.push(
        `<li><b>${escapeHtml(kind.replaceAll('_', ' '))}</b>: ${units.map((u) => `<code>${escapeHtml(u)}</code>`).join(', ')}</li>`,
      );
    }
  }
  for (const finding of timeline?.findings ?? []) {
    items.push(
      `<li>${finding.kind} <code>${escapeHtml(finding.unit)}</code> at ${formatMs(finding.at_ms)} ms</li>`,
    );
  }
  return items.length === 0
    ? '<p class="muted">Every invariant held; no unit to name.</p>'
    : `<ul>${items.join('')}</ul>`;
}

function replayLine(test: StressTestRecord): string {
  const replay = test.replay ?? test.metrics?.replay ?? null;
  if (replay === null) return '';
  const line = replay.command ?? `seed ${replay.seed}${replay.path ? `, path ${replay.path}` : ''}`;
  return `<p><b>Replay</b> <code class="replay">${escapeHtml(line)}</code></p>`;
}

function testSection(test: StressTestRecord, n: number): string {
  const row = testRow(test);
  const verdict = testVerdict(test);
  const m = test.metrics;
  const chaos = m?.timeline?.chaos_events ?? [];
  const charts = m?.timeline
    ? ['throughput', 'latency', 'depth'].map((kind) => `<div class="chart" id="${kind}-${n}"></div>`).join('')
    : '<p class="muted">No timeline in this file (written by an older version or no engine run).</p>';
  const chaosList =
    chaos.length === 0
      ? ''
      : `<p class="chaos">Chaos: ${chaos.map((e) => `${escapeHtml(e.kind)}${e.agent ? ` (${escapeHtml(e.agent)})` : ''} ${formatMs(e.start_ms)}–${formatMs(e.end_ms)} ms`).join('; ')}</p>`;
  return `<section class="test ${verdict.toLowerCase()}" id="test-${n}">
<h2><span class="badge">${verdict}</span> ${escapeHtml(test.name)}</h2>
<p class="muted">${escapeHtml(test.file)} · ${row.units} units · success ${row.success} · p50 ${row.p50} ms · p95 ${row.p95} ms · p99 ${row.p99} ms · ${row.throughput}/s · lost ${row.lost} · duplicated ${row.duplicated}</p>
${chaosList}${charts}
${m?.timeline ? `<h3>Failures per agent over time</h3>${heatmap(timelineSeries(m.timeline))}` : ''}
<h3>Invariant findings</h3>${findings(test)}
${replayLine(test)}
</section>`;
}

/**
 * Renders a run as one self-contained HTML page (the chart library inlined, no network): the verdict first,
 * then per test throughput, latency percentiles and queue depth over time with the chaos windows shaded and
 * marked, a per-agent failure heatmap, the invariant findings and the replay line. Pure: assets are passed in.
 */
export function renderHtmlReport(file: RunMetricsFile, assets: HtmlReportAssets): string {
  const v = file.verdict;
  const tests = file.tests.map((test) => ({
    name: test.name,
    series: test.metrics?.timeline ? timelineSeries(test.metrics.timeline) : null,
  }));
  const totals = file.totals;
  const reasons = v.reasons.map((reason) => `<li>${escapeHtml(reason)}</li>`).join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>vitest-stress report ${escapeHtml(file.generated_at)}</title>
<style>${assets.chartStyle}
body{font:14px/1.45 system-ui,sans-serif;margin:0 auto;max-width:1100px;padding:16px;color:#212529}
.verdict{padding:12px 16px;border-radius:6px;font-size:18px}.verdict.ok{background:#ebfbee;border:1px solid #2f9e44}
.verdict.fail{background:#fff5f5;border:1px solid #e03131}.muted{color:#6c757d}.bad{color:#c92a2a}
section.test{border-top:1px solid #dee2e6;margin-top:24px}.badge{font-size:12px;padding:2px 6px;border-radius:4px;background:#e9ecef}
.fail .badge{background:#ffe3e3;color:#c92a2a}.pass .badge{background:#d3f9d8;color:#2b8a3e}
.chart{margin:8px 0}.chaos{font-size:12px;color:#862e9c}
table.heatmap{border-collapse:collapse;font-size:11px}table.heatmap td{width:12px;height:14px;border:1px solid #f1f3f5;padding:0}
table.heatmap th{text-align:right;padding-right:6px;font-weight:normal;white-space:nowrap}table.heatmap tfoot td{border:0;color:#6c757d}
code.replay{background:#f1f3f5;padding:2px 4px}
</style></head>
<body>
<h1>vitest-stress run report</h1>
<div class="verdict ${v.ok ? 'ok' : 'fail'}" id="verdict"><b>${v.ok ? 'PASS' : 'FAIL'}</b> · ${v.passed} passed, ${v.failed} failed, ${v.skipped} skipped of ${v.tests} tests${totals ? ` · ${totals.total_processed.toLocaleString('en-US')} units · success ${formatRate(totals.success_rate)} · ${formatThroughput(totals.throughput)}/s` : ''}${reasons ? `<ul>${reasons}</ul>` : ''}</div>
<p class="muted">Generated ${escapeHtml(file.generated_at)} by vitest-stress ${escapeHtml(file.tool_version)} on Node ${escapeHtml(file.node_version)}. Shaded bands: chaos windows; dashed lines: where each chaos event starts.</p>
${file.tests.map(testSection).join('\n')}
<script id="stress-data" type="application/json">${scriptJson({ tests })}</script>
<script>${inlineScript(assets.chartScript)}</script>
<script>${inlineScript(HTML_REPORT_SCRIPT)}</script>
</body></html>
`;
}
