import { readdirSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { defineStressJestProject } from '../../src/jest/define-stress-jest-project.ts';
import { fileResultsPath, readFileResults, writeFileResults } from '../../src/jest/run-directory.ts';
import { summarizeTestReports } from '../../src/report/stress-test-record.ts';
import { tempDir } from '../support/temp-dir.ts';

describe('the Jest run directory', () => {
  it('round-trips one file per test path, atomically (no temp file left)', async () => {
    const directory = tempDir('vitest-stress-run-dir-');
    const result = summarizeTestReports([]);
    await writeFileResults(directory, {
      schema_version: 1,
      kind: 'vitest-stress-jest-file',
      test_path: '/a/one.stress.test.ts',
      results: { 'suite > test': result },
    });
    await writeFileResults(directory, {
      schema_version: 1,
      kind: 'vitest-stress-jest-file',
      test_path: '/a/two.stress.test.ts',
      results: {},
    });
    expect(readdirSync(directory)).toHaveLength(2);
    expect((await readFileResults(directory, '/a/one.stress.test.ts'))?.results).toEqual({
      'suite > test': result,
    });
    expect(await readFileResults(directory, '/a/three.stress.test.ts')).toBeUndefined();
  });

  it('rejects a file that belongs to another test path or schema, naming it', async () => {
    const directory = tempDir('vitest-stress-run-dir-');
    writeFileSync(
      fileResultsPath(directory, '/a/one.stress.test.ts'),
      JSON.stringify({
        schema_version: 1,
        kind: 'vitest-stress-jest-file',
        test_path: '/elsewhere.ts',
        results: {},
      }),
    );
    await expect(readFileResults(directory, '/a/one.stress.test.ts')).rejects.toMatchObject({
      code: 'ERR_INVALID_METRICS_FILE',
      message: expect.stringContaining('/elsewhere.ts'),
    });
  });
});

describe('defineStressJestProject', () => {
  it('names the project, points at the environment and carries resolved options', () => {
    const project = defineStressJestProject({ root: '/repo', agents: 4 }, { preset: 'ts-jest' });
    expect(project).toMatchObject({
      displayName: 'stress',
      rootDir: '/repo',
      testEnvironment: 'vitest-stress/jest-environment',
      preset: 'ts-jest',
      testTimeout: 60_000,
    });
    expect(project.testEnvironmentOptions.stress.settings).toEqual({ agents: 4 });
    expect(project.testEnvironmentOptions.stress.outputDir).toBe('/repo/logs');
  });

  it('rejects bad options with a coded error', () => {
    expect(() => defineStressJestProject({ agents: 0 })).toThrow(
      expect.objectContaining({ code: 'ERR_INVALID_OPTION' }),
    );
  });
});
