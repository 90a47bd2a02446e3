import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ComparisonFile } from '../../src/compare/index.ts';
import type { RunMetricsFile } from '../../src/report/index.ts';
import { createSandbox, runBinary, type Sandbox } from './run-binary.ts';

let box: Sandbox;
beforeEach(() => {
  box = createSandbox();
});
afterEach(() => box.remove());

describe('vitest-stress run --compare', { timeout: 60_000 }, () => {
  it('runs mock and real core on the same workload, checks the inbox and deletes the temporary workspace', async () => {
    const result = await runBinary(
      ['run', '--compare', '--agents', '3', '--messages-per-agent', '15', '--seed', '3'],
      {
        cwd: box.cwd,
        tmp: box.tmp,
      },
    );
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/Throughput \(units\/s\)\s+[\d.]+\s+[\d.]+\s+[\d.]+x/);
    expect(result.stdout).toMatch(/Latency p95 \(ms\)\s+[\d.]+\s+[\d.]+\s+[\d.]+x/);
    expect(result.stdout).toContain('Inbox check: OK, 45 inbox file(s) = 45 real deliveries.');

    const name = box.files().find((file) => file.startsWith('stress_test_comparison_'));
    expect(name, box.files().join(', ')).toBeDefined();
    const comparison = box.readJson<ComparisonFile>(join('logs', name!));
    expect(comparison).toMatchObject({
      kind: 'comparison',
      ok: true,
      inbox: { ok: true, files: 45, delivered: 45 },
    });
    expect(comparison.mock.invariants.delivered).toBe(45);
    expect(comparison.real.invariants.delivered).toBe(45);
    expect(comparison.mock.run.seed).toBe(comparison.real.run.seed);
    expect(comparison.ratios.throughput).toBeGreaterThan(0);

    // The workspace was a fresh directory in the guard's temp area, and it is gone.
    expect(comparison.workspace.path.startsWith(join(box.tmp, 'vitest-stress', 'compare-'))).toBe(true);
    expect(comparison.workspace.removed).toBe(true);
    expect(existsSync(comparison.workspace.path)).toBe(false);
    expect(
      readdirSync(join(box.tmp, 'vitest-stress')).filter((entry) => entry.startsWith('compare-')),
    ).toEqual([]);
    // Never the project's own workspace.
    expect(existsSync(join(box.cwd, 'agent_workspaces'))).toBe(false);

    const run = box.readJson<RunMetricsFile>(
      join('logs', box.files().find((f) => f.startsWith('stress_test_metrics_'))!),
    );
    expect(run.tests.map((test) => test.name)).toEqual([
      'mock core, 3x15, seed 3',
      'real inbox core, 3x15, seed 3',
    ]);
  });

  it('prints the comparison JSON with --json', async () => {
    const result = await runBinary(
      ['run', '--compare', '--agents', '2', '--messages-per-agent', '5', '--json'],
      {
        cwd: box.cwd,
        tmp: box.tmp,
      },
    );
    expect(result.code, result.stderr).toBe(0);
    const comparison = JSON.parse(result.stdout) as ComparisonFile;
    expect(comparison.kind).toBe('comparison');
    expect(comparison.real.invariants.delivered).toBe(10);
  });

  it('refuses chaos in comparison mode as bad input', async () => {
    const result = await runBinary(['run', '--compare', '--chaos'], { cwd: box.cwd, tmp: box.tmp });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^vitest-stress: `--compare` runs without chaos/);
    expect(box.files()).toEqual([]);
  });
});
