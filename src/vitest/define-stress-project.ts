import type { TestProjectInlineConfiguration } from 'vitest/config';
import { resolveStressProjectOptions, type StressProjectOptions } from '../suite/stress-project-options.ts';
import { ENTRY_PATHS } from './entry-paths.ts';
import { stressPlugin } from './stress-plugin.ts';
import { readStressVariables, type StressProvidedContext } from './stress-provided.ts';

/**
 * vitest-stress's runtime dependencies, loaded by Node rather than transformed by Vite
 * (`test/vitest/define-stress-project.test.ts` checks the list against package.json's `dependencies`).
 */
const OWN_DEPENDENCIES = [
  /\/node_modules\/hdr-histogram-js\//,
  /\/node_modules\/simple-statistics\//,
  /\/node_modules\/pure-rand\//,
  /\/node_modules\/fast-check\//,
  /\/node_modules\/chalk\//,
  /\/node_modules\/ajv\//,
  /\/node_modules\/cli-progress\//,
  /\/node_modules\/uplot\//,
] as const;

/**
 * Builds the inline Vitest project of a stress suite: named `stress`, running `**\/*.stress.test.ts` in the stress
 * environment (by absolute path) with the options as `environmentOptions.stress` and `provide`, a setup file
 * that fails tests on isolation violations and stores their metrics, and the plugin that adds the reporter
 * once. Options are validated here, with coded errors.
 * @example
 * export default defineConfig({
 *   test: { projects: [{ test: { name: 'unit' } }, defineStressProject({ agents: 9, thresholds: { success_rate: '>= 0.99' } })] },
 * });
 */
export function defineStressProject(options: StressProjectOptions = {}): TestProjectInlineConfiguration {
  const resolved = resolveStressProjectOptions(options);
  const provided: StressProvidedContext = { project: resolved, ...readStressVariables(), shard: null };
  return {
    plugins: [stressPlugin(options)],
    test: {
      name: resolved.name,
      ...(options.root === undefined ? {} : { root: resolved.root }),
      include: [...resolved.include],
      ...(resolved.exclude === undefined ? {} : { exclude: [...resolved.exclude] }),
      environment: ENTRY_PATHS.environment,
      // Re-resolved against the project root by the plugin (configureVitest) before any worker starts.
      environmentOptions: { stress: resolved },
      setupFiles: [ENTRY_PATHS.setup],
      // Vitest's own, judging snapshot paths when the assertion runs (a snapshot into an inbox fails its test).
      snapshotEnvironment: ENTRY_PATHS.snapshotEnvironment,
      provide: { vitestStress: provided },
      testTimeout: resolved.testTimeout,
      // Inlined, so a TypeScript `target` module imported by the fixture goes through Vite like the tests. Its
      // own dependencies stay Node's: inlined, hdr-histogram-js's maps (pointing at unshipped sources) would
      // print "Sourcemap ... points to missing source files" on every run.
      server: { deps: { inline: ['vitest-stress'], external: [...OWN_DEPENDENCIES] } },
    },
  };
}
