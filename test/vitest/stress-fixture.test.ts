import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadTargetFactory } from '../../src/suite/load-target.ts';
import { replayCommand, settingsAsJson, testNamePattern } from '../../src/suite/stress-fixture.ts';

const fixtures = fileURLToPath(new URL('../../fixtures/', import.meta.url));

describe('replay lines', () => {
  it('matches one test by its suites and name, as Vitest joins them with spaces', () => {
    const pattern = new RegExp(testNamePattern('chaos > survives (1+1) faults?'));
    expect(pattern.test('test/a.stress.test.ts chaos survives (1+1) faults?')).toBe(true);
    expect(pattern.test('chaos survives (1+1) faults?')).toBe(true);
    expect(pattern.test('more chaos survives (1+1) faults? too')).toBe(false);
    expect(pattern.test('xchaos survives (1+1) faults?')).toBe(false);
  });

  it('puts the variables first and quotes the pattern', () => {
    expect(replayCommand('stress', 'say "hi"', { STRESS_SEED: '-3', STRESS_PATH: '1:2' })).toBe(
      'STRESS_SEED=-3 STRESS_PATH=1:2 npx vitest run --project stress -t "(^| )say \\"hi\\"$"',
    );
  });

  it('keeps settings JSON-plain', () => {
    expect(settingsAsJson({ agents: 3, chaos: 'original' })).toEqual({ agents: 3, chaos: 'original' });
  });
});

describe('loadTargetFactory', () => {
  it('loads the reference target by default', async () => {
    expect(typeof (await loadTargetFactory(undefined, '/'))).toBe('function');
  });

  it('loads createTarget from a module path relative to the root, once', async () => {
    const first = await loadTargetFactory('./vitest-projects/chaos-failure/lossy-target.ts', fixtures);
    expect(typeof first).toBe('function');
    expect(await loadTargetFactory('./vitest-projects/chaos-failure/lossy-target.ts', fixtures)).toBe(first);
  });

  it('explains a module without a factory, and one that does not load', async () => {
    await expect(loadTargetFactory('./isolation/escape-attempt.ts', fixtures)).rejects.toMatchObject({
      code: 'ERR_TARGET_MODULE',
      message: expect.stringContaining('to export `createTarget` or a default export'),
    });
    await expect(loadTargetFactory('./nowhere.ts', fixtures)).rejects.toMatchObject({
      code: 'ERR_TARGET_MODULE',
      message: expect.stringContaining('importing it failed'),
    });
  });
});
