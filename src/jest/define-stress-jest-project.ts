import { resolveStressProjectOptions, type StressProjectOptions } from '../suite/stress-project-options.ts';

/** Jest project settings a stress project may add to or override (anything of Jest's `ProjectConfig`). */
export type JestProjectOverrides = Readonly<Record<string, unknown>>;

/** The Jest project {@link defineStressJestProject} builds (a plain object for `projects: [...]`). */
export interface StressJestProject {
  readonly displayName: string;
  readonly testEnvironment: string;
  readonly testEnvironmentOptions: { readonly stress: ReturnType<typeof resolveStressProjectOptions> };
  readonly testMatch: readonly string[];
  readonly testTimeout: number;
  readonly rootDir: string;
  readonly [key: string]: unknown;
}

/**
 * Builds the Jest project of a stress suite: named `stress` (so `jest --selectProjects stress` is the main job),
 * matching `**\/*.stress.test.{ts,js,mjs,cjs}` in the stress environment with the validated options in
 * `testEnvironmentOptions.stress`. `jest` adds the transform, module settings and anything else Jest takes.
 * @example
 * module.exports = {
 *   reporters: ['default', 'vitest-stress/jest-reporter'],
 *   projects: [defineStressJestProject({ agents: 9 }, { preset: 'ts-jest' })],
 * };
 */
export function defineStressJestProject(
  options: StressProjectOptions = {},
  jest: JestProjectOverrides = {},
): StressJestProject {
  const resolved = resolveStressProjectOptions(options);
  return {
    displayName: resolved.name,
    rootDir: resolved.root,
    testEnvironment: 'vitest-stress/jest-environment',
    // Jest loads modules through its own registry: the resolver hands forbidden ones to the isolation guard.
    resolver: 'vitest-stress/jest-resolver',
    testMatch:
      options.include === undefined
        ? ['**/*.stress.test.{ts,mts,cts,js,mjs,cjs}']
        : resolved.include.map((glob) => `<rootDir>/${glob}`),
    ...(resolved.exclude === undefined
      ? {}
      : { testPathIgnorePatterns: ['/node_modules/', ...resolved.exclude] }),
    testTimeout: resolved.testTimeout,
    ...jest,
    testEnvironmentOptions: {
      ...((jest.testEnvironmentOptions as object | undefined) ?? {}),
      stress: resolved,
    },
  };
}
