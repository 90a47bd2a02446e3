import { guardConstructor } from './guarded-function.ts';
import type { PatchSet } from './patch-set.ts';
import { type QuietBuiltin, requireQuietly, warnOnConstruct } from './quiet-builtin.ts';

/**
 * Patches `new WASI({ preopens })`: every host directory handed to the WebAssembly module is judged by the path
 * rules as a write (the module writes there through its own system interface, which no JavaScript guard sees).
 */
export function patchWasi(patches: PatchSet): void {
  let wasi: QuietBuiltin;
  try {
    // Node prints its warning when the module loads: printed instead when the user first builds a WASI.
    wasi = requireQuietly('wasi', /^WASI is an experimental feature/);
  } catch {
    return; // A Node built without WASI.
  }
  patches.replace<object>(wasi.module, 'WASI', (original) => {
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
    return warnOnConstruct(guarded, wasi);
  });
}
