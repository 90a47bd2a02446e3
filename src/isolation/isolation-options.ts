import { tmpdir } from 'node:os';
import { isAbsolute, resolve } from 'node:path';
import { invalidOption } from '../protocol/index.ts';
import { type ForbiddenModuleRules, forbiddenModuleRules } from './forbidden-module.ts';

/** `block` stops every escape with an {@link IsolationViolation}; `observe` only records it and lets it run. */
export type IsolationMode = 'block' | 'observe';

/** Directories under the project root that the real delivery system writes: inboxes and the production queue. */
export const DEFAULT_PROTECTED_DIRECTORIES: readonly string[] = ['agent_workspaces', 'message_queue'];

/** The directory under the system temp dir where vitest-stress puts the temporary files it creates itself. */
export const ISOLATION_TEMP_DIRECTORY: string = resolve(tmpdir(), 'vitest-stress');

/** What the isolation guard protects and how it reacts; every field is optional. */
export interface IsolationOptions {
  /**
   * Whether escapes are blocked or only recorded (for teams adopting the tool on an existing suite).
   * @default 'block'
   */
  readonly mode?: IsolationMode;
  /**
   * Directory that relative protected, allowed and forbidden paths resolve against.
   * @default process.cwd()
   */
  readonly root?: string;
  /**
   * Extra paths no stress run may write under, added to `agent_workspaces/` and `message_queue/`.
   * @default []
   */
  readonly protectedPaths?: readonly string[];
  /**
   * Inbox directories of the real delivery system (for example those configured for InboxMessagingCore).
   * @default []
   */
  readonly inboxRoots?: readonly string[];
  /**
   * Paths that stay writable even under a protected root: the deepest matching root decides.
   * @default ['logs', ISOLATION_TEMP_DIRECTORY]
   */
  readonly allowedPaths?: readonly string[];
  /**
   * Extra modules that must never load: package names, or paths of project files.
   * @default []
   */
  readonly forbiddenModules?: readonly string[];
  /**
   * Lets sockets, HTTP, fetch and UDP through (for a target that talks to a local test double).
   * @default false
   */
  readonly allowNetwork?: boolean;
  /**
   * Registers a Node module-resolution hook so `import` and `import()` of forbidden modules are caught too.
   * The hook is process-wide and stays registered but inert after `uninstall()`.
   * @default true
   */
  readonly esmImportHook?: boolean;
  /**
   * Names the running test for each violation; `setCurrentTest()` takes precedence when it was called.
   * @default undefined
   */
  readonly currentTest?: () => string | undefined;
}

/** {@link IsolationOptions} with defaults applied, paths absolute and validated. */
export interface ResolvedIsolationOptions {
  readonly mode: IsolationMode;
  readonly root: string;
  readonly protectedPaths: readonly string[];
  readonly allowedPaths: readonly string[];
  readonly forbiddenModules: ForbiddenModuleRules;
  readonly allowNetwork: boolean;
  readonly esmImportHook: boolean;
  readonly currentTest: (() => string | undefined) | undefined;
}

function stringList(path: string, value: unknown): readonly string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || value.some((item) => typeof item !== 'string' || item.length === 0)) {
    throw invalidOption(path, 'an array of non-empty strings', value);
  }
  return value as readonly string[];
}

function booleanOption(path: string, value: unknown, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') throw invalidOption(path, 'a boolean', value);
  return value;
}

/** Applies the defaults of {@link IsolationOptions} and validates it once. */
export function resolveIsolationOptions(options: IsolationOptions = {}): ResolvedIsolationOptions {
  const mode = options.mode ?? 'block';
  if (mode !== 'block' && mode !== 'observe') throw invalidOption('mode', '"block" or "observe"', mode);
  if (options.root !== undefined && (typeof options.root !== 'string' || options.root.length === 0)) {
    throw invalidOption('root', 'a non-empty path', options.root);
  }
  if (options.currentTest !== undefined && typeof options.currentTest !== 'function') {
    throw invalidOption('currentTest', 'a function returning the running test name', options.currentTest);
  }
  const root = resolve(options.root ?? process.cwd());
  const absolute = (path: string): string => (isAbsolute(path) ? resolve(path) : resolve(root, path));
  const protectedPaths = [
    ...DEFAULT_PROTECTED_DIRECTORIES,
    ...stringList('inboxRoots', options.inboxRoots),
    ...stringList('protectedPaths', options.protectedPaths),
  ].map(absolute);
  const allowedPaths = (
    options.allowedPaths === undefined
      ? ['logs', ISOLATION_TEMP_DIRECTORY]
      : stringList('allowedPaths', options.allowedPaths)
  ).map(absolute);
  return {
    mode,
    root,
    protectedPaths: [...new Set(protectedPaths)],
    allowedPaths: [...new Set(allowedPaths)],
    forbiddenModules: forbiddenModuleRules(root, stringList('forbiddenModules', options.forbiddenModules)),
    allowNetwork: booleanOption('allowNetwork', options.allowNetwork, false),
    esmImportHook: booleanOption('esmImportHook', options.esmImportHook, true),
    currentTest: options.currentTest,
  };
}
