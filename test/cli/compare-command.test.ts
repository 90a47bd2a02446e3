import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTarget as slowTarget } from '../../fixtures/cli/slow-target.ts';
import type { RegressionReport } from '../../src/compare/index.ts';
import type { MetricsReport } from '../../src/engine/index.ts';
import { runStress } from '../../src/reference/run-stress.ts';
import { createSandbox, runBinary, type Sandbox } from './run-binary.ts';

let box: Sandbox;
const write = (path: string, report: MetricsReport): void => {
  mkdirSync(join(box.cwd, path, '..'), { recursive: true });
  writeFileSync(join(box.cwd, path), JSON.stringify(report));
};

beforeAll(async () => {
  box = createSandbox();
  for (const seed of [1, 2, 3, 4]) {
    const options = { agents: 3, messagesPerAgent: 20, seed };
    write(`base/run-${seed}.json`, (await runStress(options)).metrics);
    write(`slow/run-${seed}.json`, (await runStress({ ...options, target: slowTarget })).metrics);
  }
}, 60_000);
afterAll(() => box.remove());

const compare = (...args: string[]) => runBinary(['compare', ...args], { cwd: box.cwd, tmp: box.tmp });

describe('vitest-stress compare', { timeout: 60_000 }, () => {
  it('passes two identical files', async () => {
    const result = await compare('base/run-1.json', 'base/run-1.json');
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('No regression beyond the 10% tolerance');
  });

  it('exits 1 on a latency regression and prints Markdown for a pull request', async () => {
    const result = await compare('base/run-1.json', 'slow/run-1.json', '--format', 'md');
    expect(result.code, result.stderr).toBe(1);
    expect(result.stdout).toMatch(/^## vitest-stress regression check/);
    expect(result.stdout).toMatch(
      /\| Latency p95 \(ms\) \| [\d.]+ \| [\d.]+ \| \+\d+\.\d% \| — \| ❌ regression \|/,
    );
  });

  it('lets a wide tolerance accept the same change', async () => {
    const result = await compare(
      'base/run-1.json',
      'slow/run-1.json',
      '--tolerance',
      '1000%',
      '--format',
      'json',
    );
    expect(result.code, result.stderr).toBe(0);
    expect((JSON.parse(result.stdout) as RegressionReport).regressions).toBe(0);
  });

  it('compares directories of repeated runs with a significance test', async () => {
    const result = await compare('base', 'slow', '--format', 'json');
    expect(result.code, result.stderr).toBe(1);
    const report = JSON.parse(result.stdout) as RegressionReport;
    expect(report).toMatchObject({ baseline_runs: 4, current_runs: 4 });
    const p95 = report.rows.find((row) => row.metric === 'latency_stats.p95_ms');
    expect(p95).toMatchObject({ verdict: 'regression' });
    expect(p95?.p_value).toBeLessThanOrEqual(0.05);
  });

  it('judges the reverse direction an improvement, not a regression', async () => {
    const result = await compare('slow', 'base');
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/Latency p95 \(ms\).*improved/);
  });

  it('rejects a malformed file, a missing file and a bad tolerance with exit 2 and one line', async () => {
    writeFileSync(join(box.cwd, 'broken.json'), '{ "schema_version": 1,\n  "run": }');
    for (const args of [
      ['base/run-1.json', 'broken.json'],
      ['base/run-1.json', 'missing.json'],
      ['base/run-1.json', 'base/run-2.json', '--tolerance', 'ten'],
    ]) {
      const result = await compare(...args);
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr.trimEnd().split('\n'), result.stderr).toHaveLength(1);
      expect(result.stdout).toBe('');
    }
    const broken = await compare('base/run-1.json', 'broken.json');
    expect(broken.stderr).toMatch(/broken\.json is not valid JSON at line 2, column \d+/);
  });
});
