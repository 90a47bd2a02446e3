import { getActiveIsolationGuard, matchForbiddenModule } from '../isolation/index.ts';

/** What Jest passes a custom resolver (the part this one reads). */
export interface JestResolverOptions {
  readonly basedir: string;
  readonly defaultResolver: (path: string, options: JestResolverOptions) => string;
  readonly [key: string]: unknown;
}

/**
 * The stress projects' Jest resolver (`resolver: 'vitest-stress/jest-resolver'`, set by
 * `defineStressJestProject`). Jest loads test code through its own module registry, never through Node's
 * `require` or `import` that the isolation guard patches, so this is where a test file meets the guard's
 * forbidden modules (the real core, GUI automation, the project's `forbiddenModules`): each resolution is handed
 * to the guard installed by the stress environment, which records it for the running test and, in block mode,
 * throws its `IsolationViolation` in place of the module. Everything resolves as Jest's default resolver says.
 */
export function sync(request: string, options: JestResolverOptions): string {
  const resolved = options.defaultResolver(request, options);
  const guard = getActiveIsolationGuard();
  if (guard !== undefined) {
    const target = matchForbiddenModule(request, resolved, guard.options.forbiddenModules);
    const esm = Array.isArray(options.conditions) && options.conditions.includes('import');
    if (target !== undefined) guard.enforce({ kind: 'module', target, api: esm ? 'import' : 'require' });
  }
  return resolved;
}
