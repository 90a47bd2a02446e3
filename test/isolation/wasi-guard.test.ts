import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const GUARD = fileURLToPath(new URL('../../src/isolation/index.ts', import.meta.url));

/** Runs `body` in a fresh Node process (the warning is printed once per process) and returns its stderr. */
function stderrOf(body: string): string {
  const script = `import { installIsolationGuard } from ${JSON.stringify(GUARD)};\n${body}`;
  const run = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    encoding: 'utf8',
    env: { ...process.env, NODE_OPTIONS: '' },
  });
  expect(run.status, run.stderr).toBe(0);
  return run.stderr;
}

describe('the WASI guard', () => {
  it("loads node:wasi without Node's experimental warning in a run that never uses WASI", () => {
    expect(stderrOf('const guard = await installIsolationGuard(); guard.uninstall();')).not.toContain('WASI');
  });

  it('prints the warning once, when WASI is first used, as Node would have', () => {
    const stderr = stderrOf(
      [
        "import { tmpdir } from 'node:os';",
        'const guard = await installIsolationGuard();',
        "const { WASI } = await import('node:wasi');",
        "new WASI({ version: 'preview1', preopens: { '/tmp': tmpdir() } });",
        "new WASI({ version: 'preview1' });",
        'guard.uninstall();',
      ].join('\n'),
    );
    expect(stderr.match(/ExperimentalWarning: WASI is an experimental feature/g)).toHaveLength(1);
  });
});
