import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  createPathPolicy,
  type ForbiddenModuleRules,
  type PathPolicy,
  resolveIsolationOptions,
} from '../../isolation/index.ts';
import { invalidOption } from '../../protocol/index.ts';
import { DEFAULT_MAX_FILE_BYTES } from './read-source-file.ts';

/** What `validateIntegration` protects and where it finds its types; the path options match the guard's. */
export interface ValidateIntegrationOptions {
  /**
   * Directory that relative paths (in these options, and literal paths in the tests) resolve against.
   * @default process.cwd()
   */
  readonly root?: string;
  /** Extra protected paths, as for the isolation guard. @default [] */
  readonly protectedPaths?: readonly string[];
  /** Inbox directories of the real delivery system. @default [] */
  readonly inboxRoots?: readonly string[];
  /** Paths that stay writable under a protected root. @default ['logs', ISOLATION_TEMP_DIRECTORY] */
  readonly allowedPaths?: readonly string[];
  /** Extra forbidden modules: package names, or paths starting with `./`, `../` or `/`. @default [] */
  readonly forbiddenModules?: readonly string[];
  /**
   * Network modules are not flagged, matching the guard's `allowNetwork` (a target talking to a local test
   * double). Without it, a network module passes only when the code uses nothing but its server side.
   * @default false
   */
  readonly allowNetwork?: boolean;
  /**
   * Largest project file, in bytes, that is read; a larger one is reported as `too-large` and not checked.
   * @default 1048576 (1 MiB)
   */
  readonly maxFileBytes?: number;
  /**
   * The tsconfig.json whose compiler options the validator uses.
   * @default the nearest tsconfig.json above `root`, or strict NodeNext options when there is none
   */
  readonly tsconfig?: string;
  /**
   * The module that declares the `MessagingCore` interface the port check compares against.
   * @default vitest-stress's own protocol module
   */
  readonly messagingCoreModule?: string;
}

/** {@link ValidateIntegrationOptions} with defaults applied and paths absolute. */
export interface ResolvedValidateIntegrationOptions {
  readonly root: string;
  readonly policy: PathPolicy;
  readonly forbiddenModules: ForbiddenModuleRules;
  readonly allowNetwork: boolean;
  readonly maxFileBytes: number;
  readonly tsconfig: string | undefined;
  readonly messagingCoreModule: string;
}

/** vitest-stress's own MessagingCore declaration: the sources when run from them, the typings when built. */
function ownMessagingCoreModule(): string {
  const candidates = ['../../protocol/messaging-core.ts', '../../protocol/messaging-core.d.ts'].map((path) =>
    fileURLToPath(new URL(path, import.meta.url)),
  );
  return candidates.find((path) => existsSync(path)) ?? (candidates[0] as string);
}

/** Applies the defaults of {@link ValidateIntegrationOptions} and validates it once. */
export function resolveValidateIntegrationOptions(
  options: ValidateIntegrationOptions = {},
): ResolvedValidateIntegrationOptions {
  const isolation = resolveIsolationOptions({
    root: options.root,
    protectedPaths: options.protectedPaths,
    inboxRoots: options.inboxRoots,
    allowedPaths: options.allowedPaths,
    forbiddenModules: options.forbiddenModules,
    allowNetwork: options.allowNetwork,
    esmImportHook: false,
  });
  const maxFileBytes = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  if (!Number.isSafeInteger(maxFileBytes) || maxFileBytes < 1) {
    throw invalidOption('maxFileBytes', 'a positive integer number of bytes', options.maxFileBytes);
  }
  for (const key of ['tsconfig', 'messagingCoreModule'] as const) {
    const value = options[key];
    if (value !== undefined && (typeof value !== 'string' || !existsSync(resolve(isolation.root, value)))) {
      throw invalidOption(key, 'the path of an existing file', value);
    }
  }
  return {
    root: isolation.root,
    policy: createPathPolicy(isolation.protectedPaths, isolation.allowedPaths),
    forbiddenModules: isolation.forbiddenModules,
    allowNetwork: isolation.allowNetwork,
    maxFileBytes,
    tsconfig: options.tsconfig === undefined ? undefined : resolve(isolation.root, options.tsconfig),
    messagingCoreModule:
      options.messagingCoreModule === undefined
        ? ownMessagingCoreModule()
        : resolve(isolation.root, options.messagingCoreModule),
  };
}
