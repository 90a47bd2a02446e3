import { mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';

type IsolationModule = typeof import('../../src/isolation/index.ts');

const load = (): Promise<IsolationModule> => import('../../src/isolation/index.ts');

let cleanup: (() => void) | undefined;

afterEach(() => {
  cleanup?.();
  cleanup = undefined;
});

// Vitest evaluates the environment and the test files in different module runners, so the guard module is
// loaded twice; vi.resetModules() reproduces that inside one test file.
describe('two copies of the isolation module in one process', () => {
  it('share one guard through the registry and recognise each other’s violations', async () => {
    const environmentCopy = await load();
    vi.resetModules();
    const testCopy = await load();
    expect(testCopy.installIsolationGuard).not.toBe(environmentCopy.installIsolationGuard);
    expect(testCopy.IsolationViolation).not.toBe(environmentCopy.IsolationViolation);

    const root = realpathSync(mkdtempSync(join(tmpdir(), 'vitest-stress-identity-')));
    const guard = await environmentCopy.installIsolationGuard({ root });
    cleanup = () => {
      guard.uninstall();
      rmSync(root, { recursive: true, force: true });
    };
    expect(testCopy.getActiveIsolationGuard()).toBe(guard);
    await expect(testCopy.installIsolationGuard({ root })).rejects.toMatchObject({
      code: 'ERR_GUARD_INSTALLED',
    });

    let caught: unknown;
    try {
      writeFileSync(join(root, 'agent_workspaces', 'x.md'), 'x');
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(environmentCopy.IsolationViolation);
    expect(caught).not.toBeInstanceOf(testCopy.IsolationViolation);
    expect(testCopy.isIsolationViolation(caught)).toBe(true);
    testCopy.getActiveIsolationGuard()?.setCurrentTest('named from the test copy');
    expect(() => writeFileSync(join(root, 'agent_workspaces', 'y.md'), 'y')).toThrow();
    expect(guard.violations().map((violation) => violation.test)).toEqual([
      undefined,
      'named from the test copy',
    ]);
  });
});
