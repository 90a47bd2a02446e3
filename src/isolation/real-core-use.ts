import { isAllowedTarget } from './isolation-allowance.ts';
import { isolationRegistry } from './isolation-registry.ts';
import { captureUserFrame } from './user-frame.ts';

/**
 * Called by the real `InboxMessagingCore` module itself when it is evaluated and when a core is constructed: in a
 * guarded run either one is an escape, however the module got loaded (a `createRequire` of the production entry,
 * a second copy of the package, `new Module(file).load(file)`, an import cached from an earlier test), because
 * every copy reaches the one guard through the process-wide registry. A `module` allowance for `file` (comparison
 * mode's temporary workspace) lets it through.
 */
export function reportRealCoreUse(file: string, api: string): void {
  const registry = isolationRegistry();
  const guard = registry.guard;
  if (guard === undefined || !guard.installed || isAllowedTarget(registry, 'module', file)) return;
  // The code that loaded or built the core: past this guard's frames and the core module's own.
  guard.enforce({ kind: 'module', target: file, api, frame: captureUserFrame(file) });
}
