import { execFileSync } from 'node:child_process';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IntegrationReport } from '../../src/validate/integration/index.ts';
import { QUEUE_CHECK_NAMES, type QueueValidationReport } from '../../src/validate/queue/index.ts';
import { createSandbox, ROOT, runBinary, type Sandbox } from './run-binary.ts';

let box: Sandbox;
beforeAll(() => {
  box = createSandbox();
});
afterAll(() => box.remove());

// Smaller than the defaults so the suite stays quick; every planted bug still trips its check at this size.
const SIZES = ['--messages', '300', '--memory-messages', '20000'];

const validateQueue = (...args: string[]) =>
  runBinary(['validate', 'queue', ...SIZES, ...args], { cwd: box.cwd, tmp: box.tmp });

describe('vitest-stress validate integration', { timeout: 60_000 }, () => {
  it('passes the repository stress tests', async () => {
    const result = await runBinary(['validate', 'integration', 'test/stress'], { cwd: ROOT });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/\d+ files? checked: no findings/);
  });

  it('exits 1 with a findings table for a test that writes a protected path', async () => {
    const path = 'fixtures/validate-integration/trip-protected-write.stress.ts';
    const result = await runBinary(['validate', 'integration', path, '--json'], { cwd: ROOT });
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout) as IntegrationReport;
    expect(report.ok).toBe(false);
    expect(new Set(report.findings.map((finding) => finding.check))).toEqual(new Set(['protected-write']));
  });
});

describe('vitest-stress validate integration follows the configured target', { timeout: 60_000 }, () => {
  const project = (adapter: string): string => {
    const dir = join(box.cwd, `configured-${Math.random().toString(36).slice(2)}`);
    mkdirSync(join(dir, 'test'), { recursive: true });
    // @types/node resolvable, so every check can run (without it the verdict is "incomplete", exit 3).
    symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
    writeFileSync(
      join(dir, 'vitest.config.ts'),
      "import { defineStressProject } from 'vitest-stress/vitest';\nexport default { test: { projects: [defineStressProject({ target: './src/adapter.ts' })] } };\n",
    );
    mkdirSync(join(dir, 'src'));
    writeFileSync(join(dir, 'src/adapter.ts'), adapter);
    writeFileSync(
      join(dir, 'test/queue.stress.ts'),
      "import { stressTest } from 'vitest-stress/vitest';\nstressTest('runs', async ({ stress }) => { await stress.run(); });\n",
    );
    return dir;
  };

  it('finds a bad adapter no stress test imports', async () => {
    const dir = project(
      "import { execSync } from 'node:child_process';\nexport function createTarget() { execSync('true'); }\n",
    );
    const result = await runBinary(['validate', 'integration', 'test'], { cwd: dir });
    expect(result.code, result.stdout + result.stderr).toBe(1);
    expect(result.stdout).toContain('Checking the target ./src/adapter.ts named in vitest.config.ts.');
    expect(result.stdout).toMatch(/forbidden-import\s+src\/adapter\.ts:1/);
    expect(result.stdout).toMatch(/injection-point\s+src\/adapter\.ts:2/);
  });

  it('passes a clean adapter', async () => {
    const dir = project('export function createTarget(context: unknown) { return context; }\n');
    const result = await runBinary(['validate', 'integration', 'test'], { cwd: dir });
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toContain('Checking the target ./src/adapter.ts');
    expect(result.stdout).toContain('2 files checked: no findings');
  });
});

describe('vitest-stress validate integration on a hostile tree', { timeout: 60_000 }, () => {
  it('exits 3 and names what it could not check, for a FIFO, a symlink loop and an empty file', async () => {
    const dir = join(box.cwd, 'hostile');
    mkdirSync(dir);
    symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
    writeFileSync(
      join(dir, 'clean.stress.ts'),
      "import { tmpdir } from 'node:os';\nexport const t = tmpdir();\n",
    );
    execFileSync('mkfifo', [join(dir, 'fifo.stress.ts')]);
    symlinkSync('loop.stress.ts', join(dir, 'loop.stress.ts'));
    writeFileSync(join(dir, 'empty.stress.ts'), '');
    symlinkSync('.', join(dir, 'again'));
    const searched = await runBinary(['validate', 'integration'], { cwd: dir });
    expect(searched.code, searched.stderr).toBe(3);
    expect(searched.stdout).not.toContain('cannot reach real delivery');
    expect(searched.stdout).toMatch(/^ {2}special-file {2}fifo\.stress\.ts is a FIFO/m);
    expect(searched.stdout).toMatch(/^ {2}symlink-loop {2}loop\.stress\.ts/m);
    expect(searched.stdout).toContain('1 file checked: no findings, but 3 files could not be checked.');
    const named = await runBinary(['validate', 'integration', 'loop.stress.ts', '--json'], { cwd: dir });
    expect(named.code, named.stderr).toBe(3);
    expect((JSON.parse(named.stdout) as IntegrationReport).unchecked).toEqual([
      expect.objectContaining({ file: 'loop.stress.ts', reason: 'symlink-loop' }),
    ]);
    const clean = await runBinary(['validate', 'integration', 'clean.stress.ts'], { cwd: dir });
    expect(clean.code, clean.stdout).toBe(0);
    expect(clean.stdout).toContain('The stress tests cannot reach real delivery.');
  });
});

describe('vitest-stress validate queue', { timeout: 60_000 }, () => {
  it('passes every check on the reference queue, prints the table and writes logs/queue_behavior_validation.json', async () => {
    const result = await validateQueue();
    expect(result.code, result.stdout + result.stderr).toBe(0);
    for (const name of QUEUE_CHECK_NAMES) expect(result.stdout).toMatch(new RegExp(`^${name}\\s+PASS`, 'm'));
    const report = box.readJson<QueueValidationReport>('logs/queue_behavior_validation.json');
    expect(report).toMatchObject({ ok: true, summary: { total: 6, passed: 6, failed: 0, pass_rate: 1 } });
    expect(box.files('.tmp/vitest-stress').filter((name) => name.startsWith('validate-queue-'))).toEqual([]);
  });

  const planted: readonly (readonly [string, string])[] = [
    ['drops-at-capacity', 'capacity'],
    ['breaks-fifo', 'ordering'],
    ['ignores-priority', 'priority'],
    ['loses-concurrent-appends', 'concurrent_access'],
    ['double-dispatch', 'concurrent_access'],
    ['leaks-memory', 'memory_bounds'],
    ['slow-dequeue', 'throughput'],
  ];
  for (const [bug, check] of planted) {
    it(`fails exactly the ${check} check for the planted bug ${bug}`, async () => {
      const module = join(ROOT, 'fixtures/queue-bugs', `${bug}.ts`);
      const result = await validateQueue('--queue-module', module, '--json');
      expect(result.code, result.stderr).toBe(1);
      const report = JSON.parse(result.stdout) as QueueValidationReport;
      expect(report.checks.filter((c) => !c.ok).map((c) => c.name)).toEqual([check]);
      expect(report.checks.find((c) => c.name === check)?.failures.length).toBeGreaterThan(0);
    });
  }

  it('runs only the checks asked for', async () => {
    const result = await validateQueue('--check', 'ordering', '--check', 'capacity', '--json');
    expect(result.code, result.stderr).toBe(0);
    expect((JSON.parse(result.stdout) as QueueValidationReport).checks.map((c) => c.name)).toEqual([
      'capacity',
      'ordering',
    ]);
  });

  it('exits 1 when a queue module writes a protected path, and the write never lands', async () => {
    mkdirSync(join(box.cwd, 'agent_workspaces/Agent-1/inbox'), { recursive: true });
    const result = await validateQueue(
      '--queue-module',
      join(ROOT, 'fixtures/cli/escaping-queue.ts'),
      '--check',
      'capacity',
    );
    expect(result.code, result.stderr).toBe(1);
    expect(result.stderr).toMatch(
      /^vitest-stress: Expected no writes under protected paths during a stress run, got `fs\.writeFileSync`/m,
    );
    expect(result.stdout).toMatch(/^capacity\s+PASS/m);
    expect(box.files('agent_workspaces/Agent-1/inbox')).toEqual([]);
  });

  it('rejects a queue module without the factory as bad input', async () => {
    const result = await validateQueue('--queue-module', join(ROOT, 'fixtures/queue-bugs/wrap-queue.ts'));
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      /^vitest-stress: Expected the queue module .* to export `createQueueSubject\(kit\)`/,
    );
  });
});
