import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveStressProjectOptions } from '../../src/suite/stress-project-options.ts';
import { layerSettings } from '../../src/suite/stress-settings.ts';
import { validateStressSettings } from '../../src/suite/validate-settings.ts';
import { readStressVariables } from '../../src/vitest/stress-provided.ts';

describe('resolveStressProjectOptions', () => {
  it('applies the defaults', () => {
    const resolved = resolveStressProjectOptions({ root: '/project' });
    expect(resolved).toEqual({
      name: 'stress',
      include: ['**/*.stress.test.ts'],
      exclude: undefined,
      root: resolve('/project'),
      settings: {},
      isolation: { root: resolve('/project') },
      outputDir: resolve('/project', 'logs'),
      stepSummary: true,
      numRuns: 25,
      propertyTimeLimitMs: 10_000,
      testTimeout: 60_000,
    });
    expect(structuredClone(resolved)).toEqual(resolved);
  });

  it('splits run settings from project options and keeps them JSON-plain', () => {
    const resolved = resolveStressProjectOptions({
      root: '/p',
      agents: 20,
      chaos: 'original',
      target: './src/target.ts',
      thresholds: { success_rate: '>= 0.99' },
      isolation: { root: 'sandbox', mode: 'observe' },
      outputDir: '/abs/out',
    });
    expect(resolved.settings).toEqual({
      agents: 20,
      chaos: 'original',
      target: './src/target.ts',
      thresholds: { success_rate: '>= 0.99' },
    });
    expect(resolved.isolation).toEqual({ root: resolve('/p/sandbox'), mode: 'observe' });
    expect(resolved.outputDir).toBe('/abs/out');
  });

  it('names the key that holds a function instead of crashing the structured clone', () => {
    const options = { thresholds: { success_rate: () => true } } as never;
    expect(() => resolveStressProjectOptions(options)).toThrow(
      expect.objectContaining({
        code: 'ERR_INVALID_OPTION',
        message: expect.stringMatching(
          /Expected `stress\.thresholds\.success_rate` to be JSON-plain, got a function\. Functions cannot reach the test workers/,
        ),
      }),
    );
    expect(() => resolveStressProjectOptions({ target: (() => ({})) as never })).toThrow(
      /`stress\.target` to be JSON-plain/,
    );
  });

  it('rejects unknown keys and values the engine would reject, with coded errors', () => {
    expect(() => resolveStressProjectOptions({ agent: 3 } as never)).toThrow(
      /`stress\.agent` to be one of the known settings/,
    );
    expect(() => resolveStressProjectOptions({ agents: 0 })).toThrow(
      expect.objectContaining({
        code: 'ERR_INVALID_OPTION',
        message: expect.stringContaining('stress: Expected `agents` to be an integer'),
      }),
    );
    expect(() => resolveStressProjectOptions({ chaos: 'wild' as never })).toThrow(/chaos/);
    expect(() => resolveStressProjectOptions({ thresholds: { success_rate: 'about 1' } })).toThrow(
      expect.objectContaining({ code: 'ERR_INVALID_THRESHOLD' }),
    );
    expect(() => resolveStressProjectOptions({ numRuns: 0 })).toThrow(
      /`stress\.numRuns` to be a positive integer/,
    );
    expect(() => resolveStressProjectOptions({ include: [] })).toThrow(/`stress\.include`/);
    expect(() => resolveStressProjectOptions({ isolation: { mode: 'loud' as never } })).toThrow(/mode/);
    expect(() => resolveStressProjectOptions({ name: 'has space' })).toThrow(/`stress\.name`/);
  });
});

describe('validateStressSettings and layerSettings', () => {
  it('layers later settings over earlier ones, key by key', () => {
    expect(layerSettings({ agents: 9, chaos: 'original' }, undefined, { agents: 20 }, { seed: 3 })).toEqual({
      agents: 20,
      chaos: 'original',
      seed: 3,
    });
  });

  it('layers thresholds by metric: a later layer adds metrics and replaces only those it names again', () => {
    const project = { thresholds: { success_rate: '>= 0.99', 'invariants.duplicated': '== 0' } };
    const chaos = { thresholds: { success_rate: '>= 0.5', 'invariants.lost': '== 0' } };
    expect(layerSettings(project, chaos).thresholds).toEqual({
      success_rate: '>= 0.5',
      'invariants.duplicated': '== 0',
      'invariants.lost': '== 0',
    });
    expect(layerSettings(project, { agents: 3 }).thresholds).toEqual(project.thresholds);
  });

  it('prefixes errors with where the settings came from', () => {
    expect(() => validateStressSettings({ messagesPerAgent: -1 }, 'meta.stress')).toThrow(
      expect.objectContaining({
        message: expect.stringContaining('meta.stress: Expected `messagesPerAgent`'),
      }),
    );
    expect(() => validateStressSettings({ target: '' }, 'meta.stress')).toThrow(
      /`meta\.stress\.target` to be a module path/,
    );
    expect(() => validateStressSettings([], 'x')).toThrow(/`x` to be an object of stress settings/);
  });
});

describe('readStressVariables', () => {
  it('reads STRESS_NUM_RUNS, STRESS_SEED and STRESS_PATH', () => {
    expect(readStressVariables({})).toEqual({ numRuns: null, seed: null, path: null });
    expect(readStressVariables({ STRESS_NUM_RUNS: '7', STRESS_SEED: '-42', STRESS_PATH: '3:0:1' })).toEqual({
      numRuns: 7,
      seed: -42,
      path: '3:0:1',
    });
  });

  it('rejects malformed values, and a path without its seed', () => {
    expect(() => readStressVariables({ STRESS_NUM_RUNS: 'many' })).toThrow(
      /`STRESS_NUM_RUNS` to be a positive integer/,
    );
    expect(() => readStressVariables({ STRESS_SEED: '1.5' })).toThrow(/`STRESS_SEED`/);
    expect(() => readStressVariables({ STRESS_SEED: '1', STRESS_PATH: 'a:b' })).toThrow(/`STRESS_PATH`/);
    expect(() => readStressVariables({ STRESS_PATH: '1:2' })).toThrow(/set together with STRESS_PATH/);
  });
});
