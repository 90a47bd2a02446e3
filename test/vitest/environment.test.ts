import { describe, expect, it } from 'vitest';
import { getActiveIsolationGuard } from '../../src/isolation/index.ts';
import { STRESS_ENVIRONMENT_KEY, type StressEnvironmentState } from '../../src/suite/environment-state.ts';
import { resolveStressProjectOptions } from '../../src/suite/stress-project-options.ts';
import environment from '../../src/vitest/environment.ts';

type Slot = Record<symbol, StressEnvironmentState | undefined>;

describe('the stress environment', () => {
  it('is a named SSR environment', () => {
    expect(environment).toMatchObject({ name: 'vitest-stress', viteEnvironment: 'ssr' });
  });

  it('installs the guard and exposes plain state for the file, then removes exactly that', async () => {
    const global: Slot = {};
    const stress = resolveStressProjectOptions({ agents: 3, isolation: { esmImportHook: false } });
    const { teardown } = await environment.setup(global, { stress });
    try {
      const state = global[STRESS_ENVIRONMENT_KEY]!;
      expect(state.options).toBe(stress);
      expect(state.guard).toBe(getActiveIsolationGuard());
      expect(state.guard?.installed).toBe(true);
      expect(typeof (await state.createReferenceTarget())).toBe('function');
    } finally {
      await teardown(global);
    }
    expect(getActiveIsolationGuard()).toBeUndefined();
    expect(Object.getOwnPropertySymbols(global)).toEqual([]);
  });

  it('restores a value that was there before, and installs no guard with isolation off', async () => {
    const previous = { version: 1 } as unknown as StressEnvironmentState;
    const global: Slot = { [STRESS_ENVIRONMENT_KEY]: previous };
    const { teardown } = await environment.setup(global, { stress: { isolation: false } });
    expect(global[STRESS_ENVIRONMENT_KEY]?.guard).toBeUndefined();
    expect(global[STRESS_ENVIRONMENT_KEY]?.options.settings).toEqual({});
    await teardown(global);
    expect(global[STRESS_ENVIRONMENT_KEY]).toBe(previous);
  });

  it('validates hand-written options', async () => {
    await expect(environment.setup({}, { stress: 'fast' })).rejects.toThrow(
      /`environmentOptions\.stress` to be an object/,
    );
    await expect(environment.setup({}, { stress: { agents: -1 } })).rejects.toMatchObject({
      code: 'ERR_INVALID_OPTION',
    });
  });
});
