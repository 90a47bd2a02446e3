import type { ResolvedIsolationOptions } from '../isolation/index.ts';
import { ISOLATION_REGISTRY_KEY } from '../isolation/index.ts';

/** Prefix of the virtual modules that stand in for forbidden imports. */
export const FORBIDDEN_STUB_PREFIX = '\0vitest-stress-forbidden:';

/** Encodes a forbidden import as a virtual module id. */
export function forbiddenStubId(target: string, importer: string | undefined): string {
  return `${FORBIDDEN_STUB_PREFIX}${encodeURIComponent(JSON.stringify({ target, importer: importer ?? null }))}`;
}

/** Decodes {@link forbiddenStubId}; undefined for any other id. */
export function parseForbiddenStubId(id: string): { target: string; importer: string | null } | undefined {
  if (!id.startsWith(FORBIDDEN_STUB_PREFIX)) return undefined;
  return JSON.parse(decodeURIComponent(id.slice(FORBIDDEN_STUB_PREFIX.length))) as {
    target: string;
    importer: string | null;
  };
}

/**
 * Code that hands a forbidden import to the isolation guard; a stub module's body, or the first lines of a
 * forbidden project file (so in observe mode the file still runs after being recorded). Evaluated in the test worker, it hands the import to the
 * isolation guard installed there (through its `Symbol.for` registry, whichever module copy installed it): the
 * guard records it for the running test and, in block mode, the import throws its IsolationViolation. Without a
 * guard it throws a coded error of its own.
 */
export function forbiddenImportPrologue(
  target: string,
  importer: string | null,
  mode: ResolvedIsolationOptions['mode'],
): string {
  const attempt = JSON.stringify({
    kind: 'module',
    target,
    api: 'import',
    ...(importer ? { frame: importer } : {}),
  });
  const message = JSON.stringify(
    `[vitest-stress] Expected no forbidden modules during a stress run, got \`import\` loading \`${target}\`${importer ? ` from ${importer}` : ''}, and no isolation guard is installed to record it. It was blocked.`,
  );
  return [
    `const registry = globalThis[Symbol.for(${JSON.stringify(ISOLATION_REGISTRY_KEY.description)})];`,
    'const guard = registry && registry.guard;',
    `if (guard && guard.installed) guard.enforce(${attempt});`,
    `else if (${JSON.stringify(mode)} === 'block') { const error = new Error(${message}); error.name = 'StressError'; error.code = 'ERR_ISOLATION_VIOLATION'; throw error; }`,
  ].join('\n');
}
