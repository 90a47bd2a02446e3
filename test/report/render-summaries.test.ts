import { stripVTControlCharacters } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  buildRunMetricsFile,
  type RunMetricsFile,
  renderLatencyChart,
  renderMarkdownSummary,
  renderTerminalSummary,
  shouldUseColor,
} from '../../src/report/index.ts';
import { sampleRecords, sampleReports } from './report-fixture.ts';

let failing: RunMetricsFile;
let passing: RunMetricsFile;

beforeAll(async () => {
  const records = sampleRecords(await sampleReports());
  failing = buildRunMetricsFile({ tests: records, generatedAt: new Date(0) });
  passing = buildRunMetricsFile({ tests: [records[0]!], generatedAt: new Date(0) });
});

describe('renderTerminalSummary', () => {
  it('shows at most maxTimelines tests over time, the failed ones first, and says how many it left out', () => {
    const many = buildRunMetricsFile({
      tests: Array.from({ length: 5 }, (_, i) =>
        failing.tests.map((test) => ({ ...test, name: `${test.name} #${i}` })),
      ).flat(),
      generatedAt: new Date(0),
    });
    const withTimeline = many.tests.filter((test) => (test.metrics?.timeline?.intervals.length ?? 0) > 0);
    expect(withTimeline.length).toBeGreaterThan(3);
    const text = stripVTControlCharacters(renderTerminalSummary(many, { maxTimelines: 3 }));
    const overTime = text.slice(text.indexOf('Over time:'));
    const shown = withTimeline.filter((test) => overTime.includes(`  ${test.name}\n`));
    expect(shown).toHaveLength(3);
    const failed = withTimeline.filter((test) => test.state === 'failed');
    expect(shown.filter((test) => test.state === 'failed')).toHaveLength(Math.min(3, failed.length));
    expect(overTime).toContain(
      `… ${withTimeline.length - 3} more test(s): every test's timeline is in the HTML report`,
    );
    expect(stripVTControlCharacters(renderTerminalSummary(many, { maxTimelines: 100 }))).not.toContain(
      'more test(s)',
    );
  });

  it('prints one row per test with units, success, p95/p99, throughput, lost, duplicated and verdict', () => {
    const text = renderTerminalSummary(passing);
    const lines = text.split('\n');
    expect(lines[0]).toMatch(/^vitest-stress\s+PASS\s+1 test: 1 passed/);
    expect(lines[2]).toMatch(
      /^Test\s+Units\s+Success\s+Refused\s+p95 ms\s+p99 ms\s+Msg\/s\s+Lost\s+Dup\s+Verdict$/,
    );
    expect(lines[3]).toMatch(
      /^suite > plain \| piped\s+60\s+100\.00%\s+0\s+[\d.]+\s+[\d.]+\s+[\d.]+\s+0\s+0\s+PASS$/,
    );
  });

  it('says why a run failed and how to replay it', () => {
    const text = renderTerminalSummary(failing, { files: { metrics: 'logs/m.json', summary: 'logs/s.md' } });
    expect(text).toContain('Why the run failed:\n  - test "chaos run" failed: boom');
    expect(text).toContain('Replay:\n  chaos run:\n    STRESS_SEED=42 STRESS_PATH=1:2 npx vitest run');
    expect(text).toContain('Metrics: logs/m.json\nSummary: logs/s.md');
  });

  it('is plain without colour and coloured with it, with the same text', () => {
    const plain = renderTerminalSummary(failing, { color: false });
    const coloured = renderTerminalSummary(failing, { color: true });
    expect(plain).toBe(stripVTControlCharacters(plain));
    expect(coloured).not.toBe(plain);
    expect(stripVTControlCharacters(coloured)).toBe(plain);
  });

  it('colours only a TTY without NO_COLOR', () => {
    expect(shouldUseColor({ isTTY: true }, {})).toBe(true);
    expect(shouldUseColor({ isTTY: true }, { NO_COLOR: '1' })).toBe(false);
    expect(shouldUseColor({ isTTY: true }, { NO_COLOR: '' })).toBe(true);
    expect(shouldUseColor({ isTTY: false }, {})).toBe(false);
  });
});

describe('renderMarkdownSummary', () => {
  it('puts the verdict first, then why it failed', () => {
    const md = renderMarkdownSummary(failing);
    expect(md.split('\n')[0]).toBe('## ❌ vitest-stress: failed');
    expect(md.indexOf('**Why the run failed**')).toBeLessThan(md.indexOf('| Test |'));
    expect(renderMarkdownSummary(passing).split('\n')[0]).toBe('## ✅ vitest-stress: passed');
  });

  it('has a table per test, escaping cell text', () => {
    const md = renderMarkdownSummary(failing);
    expect(md).toContain('### ✅ suite > plain \\| piped');
    expect(md).toContain('| Agents × messages per agent | 3 × 20 |');
    expect(md).toContain('### ❌ chaos run');
  });

  it('spells out failing thresholds, violations and the replay line', () => {
    const md = renderMarkdownSummary(failing);
    expect(md).toMatch(
      /\*\*Failing thresholds\*\*\n\n- ❌ `latency_stats\.p99_ms < 1`: Measured [\d.]+, expected < 1\./,
    );
    expect(md).toContain('**Isolation violations**\n\n- ⛔ Expected no network connections');
    expect(md).toContain('```sh\nSTRESS_SEED=42 STRESS_PATH=1:2 npx vitest run\n```');
    expect(md).toContain('<details><summary>Shrunk counterexample</summary>');
  });

  it('charts the latency percentiles with Mermaid', () => {
    const md = renderMarkdownSummary(passing);
    expect(md).toContain('```mermaid\nxychart-beta\n  title "All tests: latency percentiles (ms)"');
    expect(md).toContain('x-axis ["p50", "p90", "p95", "p99", "p99.9", "max"]');
  });
});

describe('renderLatencyChart', () => {
  it('draws bars of p50 to max and nothing for an empty histogram', () => {
    const stats = {
      count: 2,
      min_ms: 1,
      max_ms: 9,
      avg_ms: 5,
      p50_ms: 1,
      p90_ms: 9,
      p95_ms: 9,
      p99_ms: 9,
      p999_ms: 9,
      stddev_ms: 4,
    };
    expect(renderLatencyChart('t "q"', stats)).toBe(
      [
        '```mermaid',
        'xychart-beta',
        `  title "t 'q'"`,
        '  x-axis ["p50", "p90", "p95", "p99", "p99.9", "max"]',
        '  y-axis "latency (ms)" 0 --> 10',
        '  bar [1, 9, 9, 9, 9, 9]',
        '```',
      ].join('\n'),
    );
    expect(renderLatencyChart('empty', { ...stats, count: 0, p50_ms: null })).toBe('');
  });
});
