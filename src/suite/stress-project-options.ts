import { isAbsolute, resolve } from 'node:path';
import { type IsolationOptions, resolveIsolationOptions } from '../isolation/isolation-options.ts';
import { invalidOption } from '../protocol/index.ts';
import { layerSettings, type StressRunSettings } from './stress-settings.ts';
import { assertJsonPlain, validateStressSettings } from './validate-settings.ts';

/**
 * The isolation guard's settings a project can give (JSON-plain: no `currentTest` callback). Its `root`, which
 * relative protected and allowed paths resolve against, defaults to the project's.
 */
export type StressIsolationSettings = Pick<
  IsolationOptions,
  | 'mode'
  | 'root'
  | 'protectedPaths'
  | 'inboxRoots'
  | 'allowedPaths'
  | 'forbiddenModules'
  | 'allowNetwork'
  | 'esmImportHook'
>;

/** Options of {@link defineStressProject}: the project's shape, the defaults of every run, isolation and output. */
export interface StressProjectOptions extends StressRunSettings {
  /** @default 'stress' */
  readonly name?: string;
  /** @default ['**\/*.stress.test.ts'] */
  readonly include?: readonly string[];
  /** @default Vitest's default excludes */
  readonly exclude?: readonly string[];
  /** Directory that `target`, isolation paths and `outputDir` resolve against. @default process.cwd() */
  readonly root?: string;
  /** The isolation guard around every test file, or `false` for none. @default {} (block mode, default paths) */
  readonly isolation?: StressIsolationSettings | false;
  /** Where the reporter writes the metrics and summary files, relative to `root`. @default 'logs' */
  readonly outputDir?: string;
  /** Append the Markdown summary to `$GITHUB_STEP_SUMMARY` when it is set. @default true */
  readonly stepSummary?: boolean;
  /** Cases per chaos property; the `STRESS_NUM_RUNS` variable overrides it. @default 25 */
  readonly numRuns?: number;
  /** Wall-time budget of each chaos property in ms; generation and shrinking stop there. @default 10000 */
  readonly propertyTimeLimitMs?: number;
  /** Timeout of each stress test in ms. @default 60000 */
  readonly testTimeout?: number;
}

/** {@link StressProjectOptions} validated and JSON-plain, as the environment, fixtures and reporter receive them. */
export interface ResolvedStressProjectOptions {
  readonly name: string;
  readonly include: readonly string[];
  readonly exclude: readonly string[] | undefined;
  readonly root: string;
  readonly settings: StressRunSettings;
  readonly isolation: StressIsolationSettings | false;
  readonly outputDir: string;
  readonly stepSummary: boolean;
  readonly numRuns: number;
  readonly propertyTimeLimitMs: number;
  readonly testTimeout: number;
}

const PROJECT_KEYS = new Set([
  'name',
  'include',
  'exclude',
  'root',
  'isolation',
  'outputDir',
  'stepSummary',
  'numRuns',
  'propertyTimeLimitMs',
  'testTimeout',
]);

function positiveInteger(value: unknown, path: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || (value as number) < 1)
    throw invalidOption(path, 'a positive integer', value);
  return value as number;
}

function globs(value: unknown, path: string): readonly string[] | undefined {
  if (value === undefined) return undefined;
  if (
    !Array.isArray(value) ||
    value.length === 0 ||
    value.some((glob) => typeof glob !== 'string' || glob === '')
  ) {
    throw invalidOption(path, 'a non-empty array of glob strings', value);
  }
  return value as readonly string[];
}

/**
 * Validates {@link StressProjectOptions} once, in the config: JSON-plain (a function is named with its key rather
 * than crashing the worker's structured clone), known keys, engine and isolation values; applies defaults.
 */
export function resolveStressProjectOptions(
  options: StressProjectOptions = {},
): ResolvedStressProjectOptions {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw invalidOption('defineStressProject(options)', 'an object', options);
  }
  assertJsonPlain(options, 'stress');
  const project: Record<string, unknown> = {};
  const run: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(options)) (PROJECT_KEYS.has(key) ? project : run)[key] = value;
  const settings = validateStressSettings(layerSettings(run as StressRunSettings), 'stress');
  const name = options.name ?? 'stress';
  if (typeof name !== 'string' || !/^[\w.:-]+$/.test(name)) {
    throw invalidOption('stress.name', 'a project name of letters, digits, ".", ":", "-" or "_"', name);
  }
  if (options.root !== undefined && (typeof options.root !== 'string' || options.root === '')) {
    throw invalidOption('stress.root', 'a directory path', options.root);
  }
  const root = resolve(options.root ?? process.cwd());
  const rawIsolation = options.isolation ?? {};
  if (rawIsolation !== false && (typeof rawIsolation !== 'object' || rawIsolation === null)) {
    throw invalidOption('stress.isolation', 'an object of isolation settings or false', rawIsolation);
  }
  const isolation: StressIsolationSettings | false =
    rawIsolation === false
      ? false
      : {
          ...rawIsolation,
          root: resolve(root, typeof rawIsolation.root === 'string' ? rawIsolation.root : '.'),
        };
  if (isolation !== false) resolveIsolationOptions(isolation);
  const outputDir = options.outputDir ?? 'logs';
  if (typeof outputDir !== 'string' || outputDir === '')
    throw invalidOption('stress.outputDir', 'a directory path', outputDir);
  if (options.stepSummary !== undefined && typeof options.stepSummary !== 'boolean') {
    throw invalidOption('stress.stepSummary', 'a boolean', options.stepSummary);
  }
  return {
    name,
    include: globs(options.include, 'stress.include') ?? ['**/*.stress.test.ts'],
    exclude: globs(options.exclude, 'stress.exclude'),
    root,
    settings,
    isolation,
    outputDir: isAbsolute(outputDir) ? outputDir : resolve(root, outputDir),
    stepSummary: options.stepSummary ?? true,
    numRuns: positiveInteger(options.numRuns, 'stress.numRuns', 25),
    propertyTimeLimitMs: positiveInteger(options.propertyTimeLimitMs, 'stress.propertyTimeLimitMs', 10_000),
    testTimeout: positiveInteger(options.testTimeout, 'stress.testTimeout', 60_000),
  };
}
