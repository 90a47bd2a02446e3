import { readFileSync, writeFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { mergeSnapshots } from '../../src/engine/index.ts';
import { validateRunMetricsFile } from '../../src/report/index.ts';
import { validateMetricsReport } from '../../src/report/validate-metrics-file.ts';
import { tempPath } from '../support/temp-dir.ts';
import { type FixtureRun, readRunFile, runFixtureProject } from './run-fixture-project.ts';

let run: FixtureRun;
let stepSummary: string;

beforeAll(async () => {
  stepSummary = tempPath(`vitest-stress-step-summary-${process.pid}-${Date.now()}.md`);
  writeFileSync(stepSummary, '# Earlier step\n');
  run = await runFixtureProject('basic', { env: { GITHUB_STEP_SUMMARY: stepSummary } });
});

describe('a passing stress project (fixtures/vitest-projects/basic)', () => {
  it('exits 0 and prints the terminal summary', () => {
    expect(run.exitCode, run.output).toBe(0);
    expect(run.output).toMatch(/vitest-stress\s+PASS\s+4 tests: 4 passed/);
    expect(run.output).toMatch(/Metrics: .*stress_test_metrics_\d{8}_\d{6}\.json/);
    expect(run.output).toMatch(/Report: .*stress_test_report_\d{8}_\d{6}\.html/);
    expect(run.output).toMatch(/units\/s [▁-█ ]+ max /);
  });

  it('writes one metrics file and one summary, named by timestamp', () => {
    expect(run.metricsFiles.map((file) => file.split('/').pop())).toEqual([
      expect.stringMatching(/^stress_test_metrics_\d{8}_\d{6}\.json$/),
    ]);
    expect(run.summaryFiles.map((file) => file.split('/').pop())).toEqual([
      expect.stringMatching(/^stress_test_summary_\d{8}_\d{6}\.md$/),
    ]);
  });

  it('writes a metrics file valid against the run schema, with engine-valid metrics per test', () => {
    const file = readRunFile(run);
    expect(validateRunMetricsFile(file)).toEqual({ valid: true, errors: [] });
    expect(file.tests.map((test) => test.name)).toEqual([
      'project defaults',
      'per-test override',
      'chaos > original preset',
      'chaos > two runs in one test',
    ]);
    for (const test of file.tests) {
      expect(test.file).toMatch(/^(first|second)\.stress\.test\.ts$/);
      expect(validateMetricsReport(test.metrics)).toEqual({ valid: true, errors: [] });
    }
    expect(file.verdict).toMatchObject({ ok: true, tests: 4, passed: 4, reasons: [] });
  });

  it('applies the project, describe and per-test settings', () => {
    const byName = new Map(readRunFile(run).tests.map((test) => [test.name, test]));
    expect(byName.get('project defaults')?.metrics?.run).toMatchObject({ agents: 4, messages_per_agent: 30 });
    expect(byName.get('per-test override')?.metrics?.run).toMatchObject({ agents: 7, seed: 5 });
    expect(byName.get('per-test override')?.options).toMatchObject({ agents: 7, messagesPerAgent: 30 });
    const chaos = byName.get('chaos > original preset')?.metrics?.run;
    expect(chaos).toMatchObject({ messages_per_agent: 20, chaos: { name: 'original' } });
    expect(byName.get('chaos > two runs in one test')?.runs).toBe(2);
  });

  it('totals the merged snapshots of every test', () => {
    const file = readRunFile(run);
    const merged = mergeSnapshots(...file.tests.map((test) => test.snapshot!));
    expect(file.snapshot).toEqual(merged);
    expect(file.totals?.total_processed).toBe(120 + 210 + 80 + (80 + 40));
    expect(file.totals).toMatchObject({ tests: 4, runs: 5 });
  });

  it('writes a pull-request summary with the verdict first and a Mermaid chart, also to $GITHUB_STEP_SUMMARY', () => {
    const summary = readFileSync(run.summaryFiles[0]!, 'utf8');
    expect(summary.split('\n')[0]).toBe('## ✅ vitest-stress: passed');
    expect(summary).toContain('| per-test override |');
    expect(summary).toContain('```mermaid\nxychart-beta');
    expect(readFileSync(stepSummary, 'utf8')).toBe(`# Earlier step\n${summary}\n`);
  });
});
