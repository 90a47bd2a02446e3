import { resolve } from 'node:path';
import type { Plugin } from 'vitest/config';
import type { VitestPluginContext } from 'vitest/node';
import {
  type ForbiddenModuleRules,
  matchForbiddenModule,
  type ResolvedIsolationOptions,
  resolveIsolationOptions,
} from '../isolation/index.ts';
import {
  type ResolvedStressProjectOptions,
  resolveStressProjectOptions,
  type StressProjectOptions,
} from '../suite/stress-project-options.ts';
import { ENTRY_PATHS } from './entry-paths.ts';
import { forbiddenImportPrologue, forbiddenStubId, parseForbiddenStubId } from './forbidden-import-stub.ts';
import { readStressVariables, STRESS_PROVIDE_KEY, type StressProvidedContext } from './stress-provided.ts';

/** Options the plugin hands to the reporter it adds. */
export interface StressReporterOptions {
  /** Stress projects whose tests the reporter collects (tests carrying stress meta are always collected). */
  projects?: string[];
  /** @default 'logs' (absolute or relative to the Vitest root) */
  outputDir?: string;
  /** @default true */
  stepSummary?: boolean;
  /**
   * The stress projects' protected paths (absolute): an output directory that is a symlink into one is refused.
   * @default `agent_workspaces` and `message_queue` under the Vitest root
   */
  protectedPaths?: string[];
}

type ReporterEntry = string | [string, unknown] | object;

function isStressReporter(entry: ReporterEntry): boolean {
  const name = Array.isArray(entry) ? entry[0] : entry;
  if (typeof name === 'string') return name === ENTRY_PATHS.reporter || name === 'vitest-stress/reporter';
  return (
    typeof name === 'object' &&
    name !== null &&
    (name as { stressReporter?: unknown }).stressReporter === true
  );
}

/** Adds the stress reporter to the run once, however many stress projects (and shards) ask for it. */
function addReporter(
  context: VitestPluginContext,
  options: ResolvedStressProjectOptions,
  protectedPaths: readonly string[],
): void {
  const reporters = context.vitest.config.reporters as ReporterEntry[];
  const existing = reporters.find(isStressReporter);
  if (existing === undefined) {
    const reporterOptions: StressReporterOptions = {
      projects: [options.name],
      outputDir: options.outputDir,
      stepSummary: options.stepSummary,
      protectedPaths: [...protectedPaths],
    };
    reporters.push([ENTRY_PATHS.reporter, reporterOptions]);
    return;
  }
  if (Array.isArray(existing) && typeof existing[1] === 'object' && existing[1] !== null) {
    const reporterOptions = existing[1] as StressReporterOptions;
    reporterOptions.projects = [...new Set([...(reporterOptions.projects ?? []), options.name])];
    reporterOptions.protectedPaths = [
      ...new Set([...(reporterOptions.protectedPaths ?? []), ...protectedPaths]),
    ];
  }
}

const stripQuery = (id: string): string => id.replace(/[?#].*$/, '');

/**
 * The Vite plugin of a stress project: it resolves the options against the project root, adds the reporter
 * once per run, and replaces every import of a forbidden module (GUI automation, the real messaging core,
 * `isolation.forbiddenModules`) with a stand-in that records an isolation violation for the running test and
 * throws, since Vite, not Node's loader, loads the test files' imports.
 */
export function stressPlugin(options: StressProjectOptions = {}): Plugin {
  let resolved = resolveStressProjectOptions(options);
  let isolation: ResolvedIsolationOptions | undefined;
  let rules: ForbiddenModuleRules | undefined;
  const configure = (root: string): void => {
    resolved = resolveStressProjectOptions({
      ...options,
      root: options.root === undefined ? root : resolve(root, options.root),
    });
    isolation =
      resolved.isolation === false
        ? undefined
        : resolveIsolationOptions({ root: resolved.root, ...resolved.isolation });
    rules = isolation?.forbiddenModules;
  };
  configure(process.cwd());
  return {
    name: 'vitest-stress',
    enforce: 'pre',
    configResolved(config) {
      configure(config.root);
    },
    configureVitest(context) {
      const { project } = context;
      configure(project.config.root);
      // The config was resolved against the process's directory; the project's root is known only now.
      project.config.environmentOptions = { ...project.config.environmentOptions, stress: resolved };
      const shard = context.vitest.config.shard;
      const provided: StressProvidedContext = {
        project: resolved,
        ...readStressVariables(),
        shard: shard === undefined ? null : { index: shard.index, count: shard.count },
      };
      project.provide(STRESS_PROVIDE_KEY, provided);
      addReporter(
        context,
        resolved,
        // With the guard off too: the reporter never writes its files through a link into a protected path.
        (isolation ?? resolveIsolationOptions({ root: resolved.root })).protectedPaths,
      );
    },
    async resolveId(source, importer, resolveOptions) {
      if (rules === undefined || isolation === undefined || source.startsWith('\0')) return null;
      // Package names are matched on the specifier alone, so an uninstalled package (robotjs) is caught too.
      const match = matchForbiddenModule(source, undefined, rules);
      if (match === undefined) return null;
      if (isolation.mode === 'observe') {
        // An installed package is externalized: Node's loader, and so the guard's own resolve hook, records it.
        const real = await this.resolve(source, importer, { ...resolveOptions, skipSelf: true });
        if (real !== null) return real;
      }
      return forbiddenStubId(match, importer);
    },
    load(id) {
      const stub = parseForbiddenStubId(id);
      if (stub === undefined) return null;
      return `${forbiddenImportPrologue(stub.target, stub.importer, isolation?.mode ?? 'block')}\nexport default undefined;\n`;
    },
    transform(code, id) {
      if (rules === undefined || isolation === undefined || id.startsWith('\0')) return null;
      // Project files are matched on their resolved path; the guard sees them before their own code runs.
      const file = stripQuery(id);
      const match = matchForbiddenModule(file, file, rules);
      if (match === undefined) return null;
      return { code: `${forbiddenImportPrologue(match, null, isolation.mode)}\n${code}`, map: null };
    },
  };
}
