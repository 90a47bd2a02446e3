import { createRequire } from 'node:module';
import { guardConstructor } from './guarded-function.ts';
import type { PatchSet } from './patch-set.ts';

const require = createRequire(import.meta.url);

const WARNING = 'WASI is an experimental feature and might change at any time';

/** `node:wasi`, loaded without its experimental warning; true when that warning was held back here. */
function loadWasi(): { readonly wasi: Record<string, unknown>; readonly heldBack: boolean } {
  if ((process as { moduleLoadList?: string[] }).moduleLoadList?.includes('NativeModule wasi')) {
    return { wasi: require('node:wasi') as Record<string, unknown>, heldBack: false };
  }
  // Node prints the warning once per process, when the module loads: hold it back, and print it when the user
  // first builds a WASI (below), not in every guarded run that never uses WASI.
  const emit = process.emitWarning;
  let heldBack = false;
  process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
    if (String(warning) === WARNING) heldBack = true;
    else (emit as (...args: unknown[]) => void).call(process, warning, ...rest);
  }) as typeof process.emitWarning;
  try {
    return { wasi: require('node:wasi') as Record<string, unknown>, heldBack };
  } finally {
    process.emitWarning = emit;
  }
}

/**
 * Patches `new WASI({ preopens })`: every host directory handed to the WebAssembly module is judged by the path
 * rules as a write (the module writes there through its own system interface, which no JavaScript guard sees).
 */
export function patchWasi(patches: PatchSet): void {
  let loaded: ReturnType<typeof loadWasi>;
  try {
    loaded = loadWasi();
  } catch {
    return; // A Node built without WASI.
  }
  let warned = !loaded.heldBack;
  patches.replace<object>(loaded.wasi, 'WASI', (original) => {
    const guarded = guardConstructor(original, {
      kind: 'fs-write',
      api: 'wasi.WASI',
      inspect: (runtime, [options]) => {
        const preopens = (options as { preopens?: unknown } | undefined)?.preopens;
        if (typeof preopens !== 'object' || preopens === null) return undefined;
        for (const host of Object.values(preopens)) {
          const target = runtime.policy.check(host, false);
          if (target !== undefined) return target;
        }
        return undefined;
      },
    });
    return new Proxy(guarded, {
      construct(target, args, newTarget) {
        const made = Reflect.construct(target as new (...a: unknown[]) => object, args, newTarget);
        if (!warned) {
          warned = true;
          process.emitWarning(WARNING, 'ExperimentalWarning');
        }
        return made;
      },
    });
  });
}
