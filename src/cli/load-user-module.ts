import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { StressError } from '../protocol/index.ts';

const TYPESCRIPT = /\.[mc]?tsx?$/;
let typescriptReady: Promise<void> | undefined;

/**
 * Lets `import()` load TypeScript modules through tsx's ESM hooks (Node 20 cannot strip types itself). Call it
 * before installing the isolation guard: registering a hook is not something a stress run may do.
 */
export function enableTypeScriptModules(): Promise<void> {
  typescriptReady ??= (async () => {
    try {
      const api = (await import('tsx/esm/api')) as { register: () => unknown };
      api.register();
      await transformOnce();
    } catch (error) {
      throw new StressError(
        'ERR_TARGET_MODULE',
        'Expected tsx to be installed to load a TypeScript module (npm install --save-dev tsx), or point to ' +
          `the compiled .js file instead; loading tsx failed: ${(error as Error).message}.`,
        { cause: error },
      );
    }
  })();
  return typescriptReady;
}

/**
 * Loads one TypeScript module now. Where tsx transforms on this thread (Node 22), esbuild's first synchronous
 * transform starts a worker thread, which the isolation guard would refuse while the user's module loads; started
 * here, before the guard, it is reused. Under Node 20 tsx transforms on its loader thread and this changes nothing.
 */
async function transformOnce(): Promise<void> {
  const directory = await mkdtemp(join(tmpdir(), 'vitest-stress-tsx-'));
  try {
    const file = join(directory, 'warm-up.mts');
    await writeFile(file, 'export const ready: boolean = true;\n');
    await import(pathToFileURL(file).href);
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
}

/** The absolute path of a module flag's value; throws `ERR_TARGET_MODULE` when the file does not exist. */
export function resolveModulePath(path: string, cwd: string, what: string): string {
  const absolute = resolve(cwd, path);
  if (!existsSync(absolute)) {
    throw new StressError(
      'ERR_TARGET_MODULE',
      `Expected ${what} "${path}" to be an existing file, got no file at ${absolute}.`,
      {
        details: { path: absolute },
      },
    );
  }
  return absolute;
}

/** True when the module needs {@link enableTypeScriptModules} first. */
export function isTypeScriptModule(path: string): boolean {
  return TYPESCRIPT.test(path);
}

/**
 * True for a failed require() of an ES module: Node 20 refuses it (`ERR_REQUIRE_ESM`, or in a cycle); Node 22
 * supports it, but not from CommonJS that tsx's loader hooks compiled, where the required module is never linked.
 */
function requiredEsm(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return (
    code === 'ERR_REQUIRE_CYCLE_MODULE' ||
    code === 'ERR_REQUIRE_ESM' ||
    code === 'ERR_REQUIRE_ASYNC_MODULE' ||
    code === 'ERR_VM_MODULE_LINK_FAILURE'
  );
}

/**
 * True when Node (and so tsx) treats the TypeScript module at `path` as CommonJS: a `.cts` file, or a `.ts` file
 * whose nearest package.json does not say `"type": "module"` (or that has none).
 */
function compiledToCommonJs(path: string): boolean {
  if (/\.ctsx?$/.test(path)) return true;
  if (/\.mtsx?$/.test(path)) return false;
  for (let directory = dirname(path); ; directory = dirname(directory)) {
    const manifest = join(directory, 'package.json');
    if (existsSync(manifest)) {
      try {
        return (JSON.parse(readFileSync(manifest, 'utf8')) as { type?: unknown }).type !== 'module';
      } catch {
        return false;
      }
    }
    if (dirname(directory) === directory) return true;
  }
}

/** Imports a user module by absolute path; a module that throws while loading is `ERR_TARGET_MODULE`. */
export async function importUserModule(absolute: string, what: string): Promise<Record<string, unknown>> {
  if (isTypeScriptModule(absolute)) await enableTypeScriptModules();
  try {
    return (await import(pathToFileURL(absolute).href)) as Record<string, unknown>;
  } catch (error) {
    // A blocked escape while loading stays what it is: the isolation check failed, not the input.
    if (StressError.is(error, 'ERR_ISOLATION_VIOLATION')) throw error;
    if (isTypeScriptModule(absolute) && requiredEsm(error) && compiledToCommonJs(absolute)) {
      const code = (error as { code?: unknown }).code;
      throw new StressError(
        'ERR_TARGET_MODULE',
        `Expected ${what} ${absolute} to load as an ES module, got TypeScript compiled to CommonJS (a .cts file, or no "type": "module" in its package.json), whose require() of the ESM-only vitest-stress failed (${code}). Rename it to .mts, or set "type": "module" in its package.json.`,
        { cause: error, details: { path: absolute } },
      );
    }
    throw new StressError(
      'ERR_TARGET_MODULE',
      `Expected ${what} ${absolute} to load, but importing it failed: ${(error as Error)?.message ?? String(error)}.`,
      { cause: error, details: { path: absolute } },
    );
  }
}
