import { createRequire } from 'node:module';
import { type GuardSpec, guardFunction } from './guarded-function.ts';
import type { PatchSet } from './patch-set.ts';

const require = createRequire(import.meta.url);

type Inspector = typeof import('node:inspector');

/** `node:inspector` and `node:inspector/promises`; none when Node was built without the inspector. */
function inspectorModules(): readonly Inspector[] {
  try {
    return [require('node:inspector') as Inspector, require('node:inspector/promises') as Inspector];
  } catch {
    return [];
  }
}

const debuggerAddress: GuardSpec['inspect'] = (_runtime, [port, host]) =>
  `${String(host ?? '127.0.0.1')}:${String(port ?? process.debugPort)}`;

/**
 * Patches `node:inspector` and `node:inspector/promises`: `open` and `waitForDebugger` (a debugger port lets any
 * local process run code in this one) and `Session.prototype.connect`/`connectToMainThread`, which the promises
 * `Session` inherits (a session evaluates code and reads closures, the guard's originals included). `url()` only
 * reads, and a session connected before the guard keeps working.
 */
export function patchInspector(patches: PatchSet): void {
  const modules = inspectorModules();
  for (const inspector of modules) {
    patches.replace(inspector, 'open', (original) =>
      guardFunction(original, {
        kind: 'native',
        api: 'inspector.open',
        refuse: 'throw',
        inspect: debuggerAddress,
      }),
    );
    patches.replace(inspector, 'waitForDebugger', (original) =>
      guardFunction(original, {
        kind: 'native',
        api: 'inspector.waitForDebugger',
        refuse: 'throw',
        inspect: () => inspector.url() ?? 'inspector',
      }),
    );
  }
  const session = modules[0]?.Session.prototype;
  if (session === undefined) return;
  for (const [name, target] of [
    ['connect', 'inspector session (this process)'],
    ['connectToMainThread', 'inspector session (main thread)'],
  ] as const) {
    patches.replace(session, name, (original) =>
      guardFunction(original, {
        kind: 'native',
        api: `inspector.Session.${name}`,
        refuse: 'throw',
        inspect: () => target,
      }),
    );
  }
}
