import { isBuiltin } from 'node:module';
import { dirname, isAbsolute, resolve } from 'node:path';
import { builtins } from './builtin-modules.ts';
import { type ForbiddenModuleRules, matchForbiddenModule } from './forbidden-module.ts';
import { guardFunction } from './guarded-function.ts';
import type { PatchSet } from './patch-set.ts';

const Module = builtins.module;

/** The file a `require` would load; when it cannot be resolved, where a relative request points. */
function requiredFile(request: string, parent: unknown, isMain: boolean): string | undefined {
  try {
    return Module._resolveFilename(request, parent, isMain);
  } catch {
    if (isAbsolute(request)) return request;
    const from = (parent as { filename?: unknown } | undefined)?.filename;
    return request.startsWith('.') && typeof from === 'string' ? resolve(dirname(from), request) : undefined;
  }
}

/**
 * Patches `Module._load`, which `require` and every `createRequire()` function go through, and `module.register`:
 * customization hooks run on the loader thread, whose `fs` the guard never patched.
 */
export function patchModuleLoading(patches: PatchSet, rules: ForbiddenModuleRules): void {
  patches.replace(Module, 'register', (original) =>
    guardFunction(original, {
      kind: 'worker',
      api: 'module.register',
      refuse: 'throw',
      inspect: (_runtime, [specifier]) =>
        `loader hooks ${specifier instanceof URL ? specifier.href : String(specifier)}`,
    }),
  );
  patches.replace(Module, '_load', (original) =>
    guardFunction(original, {
      kind: 'module',
      api: 'require',
      refuse: 'throw',
      inspect: (_runtime, [request, parent, isMain]) => {
        if (typeof request !== 'string') return undefined;
        if (isBuiltin(request)) return matchForbiddenModule(request, undefined, rules);
        return matchForbiddenModule(request, requiredFile(request, parent, isMain === true), rules);
      },
    }),
  );
}
