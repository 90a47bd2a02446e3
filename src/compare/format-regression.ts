import type { RegressionReport, RegressionRow, RegressionVerdict } from './compare-metrics-runs.ts';

const VERDICT_TEXT: Readonly<Record<RegressionVerdict, string>> = {
  ok: 'ok',
  regression: 'REGRESSION',
  improvement: 'improved',
  noise: 'within noise',
  missing: 'no data',
};

const VERDICT_MARKDOWN: Readonly<Record<RegressionVerdict, string>> = {
  ok: '✅ ok',
  regression: '❌ regression',
  improvement: '🚀 improved',
  noise: '〰️ within noise',
  missing: '➖ no data',
};

/** A number for a table: up to 3 decimals, no trailing zeros; `—` for none. */
export function formatFigure(value: number | null): string {
  if (value === null) return '—';
  if (Number.isInteger(value)) return String(value);
  return String(Number(value.toFixed(Math.abs(value) >= 100 ? 1 : 3)));
}

function formatChange(row: RegressionRow): string {
  if (row.change === null) {
    const { baseline, current } = row;
    return baseline.mean === current.mean || baseline.mean === null || current.mean === null ? '—' : 'new';
  }
  const percent = row.change * 100;
  if (Math.abs(percent) < 0.05) return '0.0%';
  return `${percent > 0 ? '+' : ''}${percent.toFixed(1)}%`;
}

function figures(row: RegressionRow): string[] {
  const runs = (side: RegressionRow['baseline']): string =>
    side.values.length > 1 ? `${formatFigure(side.mean)} (n=${side.values.length})` : formatFigure(side.mean);
  return [
    row.label,
    runs(row.baseline),
    runs(row.current),
    formatChange(row),
    row.p_value === null ? '—' : row.p_value.toFixed(3),
  ];
}

function headline(report: RegressionReport): string {
  const tolerance = `${Number((report.tolerance * 100).toFixed(2))}%`;
  if (!report.ok) {
    return `${report.regressions} regression${report.regressions === 1 ? '' : 's'} beyond the ${tolerance} tolerance`;
  }
  return `No regression beyond the ${tolerance} tolerance`;
}

/** Renders a regression report as GitHub-flavoured Markdown for a pull request or a job summary. */
export function formatRegressionMarkdown(report: RegressionReport): string {
  const lines = [
    '## vitest-stress regression check',
    '',
    `**${report.ok ? '✅' : '❌'} ${headline(report)}** — baseline ${report.baseline_runs} run(s), current ${report.current_runs} run(s)` +
      (report.baseline_runs > 1 && report.current_runs > 1 ? `, significance level ${report.alpha}` : ''),
    '',
    '| Metric | Baseline | Current | Change | p-value | Verdict |',
    '|---|---:|---:|---:|---:|---|',
    ...report.rows.map((row) => `| ${[...figures(row), VERDICT_MARKDOWN[row.verdict]].join(' | ')} |`),
  ];
  if (report.warnings.length > 0) lines.push('', ...report.warnings.map((warning) => `> ⚠️ ${warning}`));
  return `${lines.join('\n')}\n`;
}

/** Renders a regression report as a plain-text table for a terminal. */
export function formatRegressionText(report: RegressionReport): string {
  const header = ['Metric', 'Baseline', 'Current', 'Change', 'p-value', 'Verdict'];
  const rows = report.rows.map((row) => [...figures(row), VERDICT_TEXT[row.verdict]]);
  const widths = header.map((_, column) =>
    Math.max(...[header, ...rows].map((row) => (row[column] as string).length)),
  );
  const line = (row: readonly string[]): string =>
    row
      .map((cell, column) =>
        column === 0 || column === 5
          ? cell.padEnd(widths[column] as number)
          : cell.padStart(widths[column] as number),
      )
      .join('  ')
      .trimEnd();
  return [
    line(header),
    line(widths.map((width) => '-'.repeat(width))),
    ...rows.map(line),
    '',
    ...report.warnings.map((warning) => `warning: ${warning}`),
    `${headline(report)} (baseline ${report.baseline_runs} run(s), current ${report.current_runs} run(s)).`,
    '',
  ].join('\n');
}
