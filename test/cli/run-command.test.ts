import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { NONDETERMINISTIC_REPORT_FIELDS } from '../../src/engine/index.ts';
import { type RunMetricsFile, validateRunMetricsFile } from '../../src/report/index.ts';
import { createSandbox, ROOT, runBinary, type Sandbox } from './run-binary.ts';

let box: Sandbox;
beforeEach(() => {
  box = createSandbox();
});
afterEach(() => box.remove());

const run = (...args: string[]) => runBinary(['run', ...args], { cwd: box.cwd, tmp: box.tmp });
const metricsFile = (): RunMetricsFile => {
  const name = box.files().find((file) => file.startsWith('stress_test_metrics_'));
  expect(name, box.files().join(', ')).toBeDefined();
  return box.readJson<RunMetricsFile>(join('logs', name!));
};

describe('vitest-stress run', { timeout: 60_000 }, () => {
  it('runs the reference system, prints the summary and writes the metrics and summary files', async () => {
    const result = await run('--agents', '3', '--messages-per-agent', '20', '--seed', '7');
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/vitest-stress\s+PASS/);
    expect(result.stdout).toMatch(/3 agents x 20 messages, seed 7\s+60\s+100\.00%/);
    expect(box.files()).toEqual([
      expect.stringMatching(/^stress_test_metrics_\d{8}_\d{6}\.json$/),
      expect.stringMatching(/^stress_test_report_\d{8}_\d{6}\.html$/),
      expect.stringMatching(/^stress_test_summary_\d{8}_\d{6}\.md$/),
    ]);
    const file = metricsFile();
    expect(validateRunMetricsFile(file)).toEqual({ valid: true, errors: [] });
    expect(file.verdict.ok).toBe(true);
    expect(file.tests[0]?.metrics?.invariants.delivered).toBe(60);
    expect(file.tests[0]?.isolation).toEqual({ mode: 'block', violations: [] });
    expect(file.tests[0]?.replay?.command).toBe(
      'npx vitest-stress run --agents 3 --messages-per-agent 20 --seed 7',
    );
    expect(result.stdout).toContain(join(box.cwd, 'logs'));
  });

  it('prints the metrics JSON alone with --json, and the same seed gives the same report', async () => {
    const first = await run(
      '--agents',
      '2',
      '--messages-per-agent',
      '30',
      '--chaos',
      'harsh',
      '--seed',
      '5',
      '--json',
    );
    const second = await run(
      '--agents',
      '2',
      '--messages-per-agent',
      '30',
      '--chaos',
      'harsh',
      '--seed',
      '5',
      '--json',
    );
    expect(first.code, first.stderr).toBe(0);
    const a = JSON.parse(first.stdout) as RunMetricsFile;
    const b = JSON.parse(second.stdout) as RunMetricsFile;
    const strip = (file: RunMetricsFile) => {
      const metrics = structuredClone(file.tests[0]!.metrics!) as unknown as { run: Record<string, unknown> };
      for (const field of NONDETERMINISTIC_REPORT_FIELDS) delete metrics.run[field.split('.')[1]!];
      return metrics;
    };
    expect(strip(a)).toEqual(strip(b));
    expect(a.tests[0]?.metrics?.run.chaos).toMatchObject({ name: 'harsh' });
  });

  it('takes --chaos without a value as the original chaos mode, and --duration as rate x seconds', async () => {
    const result = await run('--chaos', '--agents', '2', '--duration', '2', '--rate', '10', '--json');
    expect(result.code, result.stderr).toBe(0);
    const metrics = (JSON.parse(result.stdout) as RunMetricsFile).tests[0]!.metrics!;
    expect(metrics.run.chaos).toMatchObject({ name: 'original' });
    expect(metrics.run.messages_per_agent).toBe(20);
  });

  it('reads a chaos schedule from a JSON file', async () => {
    const schedule = join(ROOT, 'fixtures/cli/chaos-schedule.json');
    const result = await run('--chaos', schedule, '--agents', '2', '--messages-per-agent', '50', '--json');
    expect(result.code, result.stderr).toBe(0);
    const metrics = (JSON.parse(result.stdout) as RunMetricsFile).tests[0]!.metrics!;
    expect(metrics.run.chaos).toMatchObject({ name: 'custom' });
    expect(metrics.chaos.delivery_failure).toBeGreaterThan(0);
  });

  it('exits 1 when a threshold fails, and says which', async () => {
    const result = await run(
      '--agents',
      '2',
      '--messages-per-agent',
      '10',
      '--threshold',
      'latency_stats.p95_ms<1',
    );
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/vitest-stress\s+FAIL/);
    expect(result.stdout).toContain('threshold `latency_stats.p95_ms < 1` failed');
    expect(metricsFile().verdict).toMatchObject({ ok: false, threshold_failures: 1 });
  });

  it('exits 1 when an invariant breaks: a target that drops failed deliveries loses messages', async () => {
    const result = await run(
      '--target',
      join(ROOT, 'fixtures/cli/lossy-target.ts'),
      '--chaos',
      'original',
      '--agents',
      '3',
    );
    expect(result.code, result.stderr).toBe(1);
    expect(result.stdout).toMatch(/invariant broken in .*lost/);
    expect(metricsFile().tests[0]?.invariants?.lost).toBeGreaterThan(0);
    // Named relative to the working directory, as Vitest names test files, in the JSON and the Markdown.
    const shown = relative(box.cwd, join(ROOT, 'fixtures/cli/lossy-target.ts'));
    expect(metricsFile().tests[0]).toMatchObject({ file: shown, options: { target: shown } });
    const summary = box.files().find((name) => name.endsWith('.md'))!;
    expect(readFileSync(join(box.cwd, 'logs', summary), 'utf8')).toContain(`\`${shown}\``);
    expect(readFileSync(join(box.cwd, 'logs', summary), 'utf8')).not.toContain(`\`${ROOT}`);
  });

  it('exits 1 on an isolation violation and the write never reaches the protected inbox', async () => {
    const inbox = join(box.cwd, 'agent_workspaces/Agent-1/inbox');
    mkdirSync(inbox, { recursive: true });
    mkdirSync(join(box.cwd, 'agent_workspaces/Agent-2/inbox'), { recursive: true });
    const result = await run(
      '--target',
      join(ROOT, 'fixtures/cli/escaping-target.ts'),
      '--agents',
      '2',
      '--messages-per-agent',
      '5',
    );
    expect(result.code, result.stderr).toBe(1);
    expect(result.stdout).toContain('isolation violation');
    expect(result.stdout).toContain('1 isolation violation(s)');
    const violations = metricsFile().tests[0]!.isolation.violations;
    expect(violations).toEqual([
      expect.objectContaining({ kind: 'fs-write', blocked: true, api: 'fs.writeFileSync' }),
    ]);
    expect(violations[0]?.target).toContain(join(box.cwd, 'agent_workspaces'));
    expect(box.files('agent_workspaces/Agent-1/inbox')).toEqual([]);
    expect(box.files('agent_workspaces/Agent-2/inbox')).toEqual([]);
  });

  it('writes where --out says, and nothing under logs/', async () => {
    const result = await run(
      '--agents',
      '1',
      '--messages-per-agent',
      '5',
      '--mix',
      'system_to_agent=1',
      '--out',
      'out/metrics',
    );
    expect(result.code, result.stderr).toBe(0);
    expect(box.files('out/metrics')).toHaveLength(3);
    expect(existsSync(join(box.cwd, 'logs'))).toBe(false);
  });

  it('accepts the seed report message types as a mix', async () => {
    const result = await run(
      '--mix',
      'direct,broadcast,hard_onboard,soft_onboard',
      '--agents',
      '4',
      '--messages-per-agent',
      '8',
      '--json',
    );
    expect(result.code, result.stderr).toBe(0);
    const metrics = (JSON.parse(result.stdout) as RunMetricsFile).tests[0]!.metrics!;
    expect(metrics.run.mix).toMatchObject({
      system_to_agent: 0.25,
      broadcast: 0.25,
      onboarding: 0.5,
      text: 0,
    });
    const summary = box.files().find((name) => name.startsWith('stress_test_summary_'))!;
    expect(readFileSync(join(box.cwd, 'logs', summary), 'utf8')).toContain('vitest-stress');
  });
});
