import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defineStressProject } from '../../src/vitest/define-stress-project.ts';

describe('defineStressProject', () => {
  const project = defineStressProject({ agents: 4, thresholds: { success_rate: '>= 0.99' } });
  const test = project.test!;

  it('returns an inline project named stress with the default include', () => {
    expect(test.name).toBe('stress');
    expect(test.include).toEqual(['**/*.stress.test.ts']);
    expect(test.root).toBeUndefined();
  });

  it('points at the environment and the setup file by absolute path', () => {
    expect(isAbsolute(test.environment as string)).toBe(true);
    expect(existsSync(test.environment as string)).toBe(true);
    expect(test.setupFiles).toEqual([expect.stringMatching(/setup\.ts$/)]);
    expect(existsSync((test.setupFiles as string[])[0]!)).toBe(true);
  });

  it('passes the options as cloneable environment options and provided values', () => {
    const stress = (test.environmentOptions as { stress: { settings: unknown } }).stress;
    expect(stress.settings).toEqual({ agents: 4, thresholds: { success_rate: '>= 0.99' } });
    expect(structuredClone(test.environmentOptions)).toEqual(test.environmentOptions);
    expect(test.provide?.vitestStress).toMatchObject({
      project: stress,
      numRuns: null,
      seed: null,
      path: null,
    });
  });

  it('adds the plugin and inlines vitest-stress for TypeScript targets', () => {
    expect(project.plugins).toEqual([expect.objectContaining({ name: 'vitest-stress', enforce: 'pre' })]);
    expect(test.server?.deps?.inline).toEqual(['vitest-stress']);
    expect(test.testTimeout).toBe(60_000);
  });

  it("keeps every one of the package's own dependencies external (loaded by Node, not transformed by Vite)", () => {
    const manifest = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
      dependencies: Record<string, string>;
    };
    const external = (test.server?.deps?.external ?? []) as RegExp[];
    const uncovered = Object.keys(manifest.dependencies).filter(
      (name) => !external.some((pattern) => pattern.test(`/app/node_modules/${name}/dist/index.js`)),
    );
    expect(uncovered).toEqual([]);
  });

  it('validates the options with coded errors', () => {
    expect(() => defineStressProject({ messagesPerAgent: 0 })).toThrow(
      expect.objectContaining({ code: 'ERR_INVALID_OPTION' }),
    );
  });
});
