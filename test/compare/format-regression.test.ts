import { describe, expect, it } from 'vitest';
import {
  formatFigure,
  formatRegressionMarkdown,
  formatRegressionText,
  type RegressionReport,
} from '../../src/compare/index.ts';

const report: RegressionReport = {
  schema_version: 1,
  ok: false,
  tolerance: 0.1,
  alpha: 0.05,
  baseline_runs: 1,
  current_runs: 1,
  regressions: 1,
  improvements: 0,
  warnings: ['The runs differ in run.agents (3 vs 5): the comparison may not be like for like.'],
  rows: [
    {
      metric: 'latency_stats.p95_ms',
      label: 'Latency p95 (ms)',
      better: 'lower',
      baseline: { mean: 4.8, values: [4.8] },
      current: { mean: 6, values: [6] },
      change: 0.25,
      p_value: null,
      verdict: 'regression',
    },
    {
      metric: 'invariants.lost',
      label: 'Lost units',
      better: 'lower',
      baseline: { mean: 0, values: [0] },
      current: { mean: 0, values: [0] },
      change: null,
      p_value: null,
      verdict: 'ok',
    },
  ],
};

describe('regression renderers', () => {
  it('renders Markdown with the verdict first and one table row per metric', () => {
    const md = formatRegressionMarkdown(report);
    expect(md.split('\n').slice(0, 3)).toEqual([
      '## vitest-stress regression check',
      '',
      '**❌ 1 regression beyond the 10% tolerance** — baseline 1 run(s), current 1 run(s)',
    ]);
    expect(md).toContain('| Latency p95 (ms) | 4.8 | 6 | +25.0% | — | ❌ regression |');
    expect(md).toContain('| Lost units | 0 | 0 | — | — | ✅ ok |');
    expect(md).toContain('> ⚠️ The runs differ in run.agents');
  });

  it('renders an aligned text table', () => {
    const text = formatRegressionText(report);
    const lines = text.split('\n');
    expect(lines[0]).toMatch(/^Metric\s+Baseline\s+Current\s+Change\s+p-value\s+Verdict$/);
    expect(lines[2]).toMatch(/^Latency p95 \(ms\)\s+4\.8\s+6\s+\+25\.0%\s+—\s+REGRESSION$/);
    expect(text).toContain('1 regression beyond the 10% tolerance');
  });

  it('formats figures compactly', () => {
    expect(formatFigure(null)).toBe('—');
    expect(formatFigure(3)).toBe('3');
    expect(formatFigure(4.81234)).toBe('4.812');
    expect(formatFigure(225.0484)).toBe('225');
  });
});
