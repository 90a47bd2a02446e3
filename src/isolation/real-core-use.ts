import { fileURLToPath } from 'node:url';
import { isAllowedTarget } from './isolation-allowance.ts';
import { isolationRegistry } from './isolation-registry.ts';
import { findUserFrame } from './user-frame.ts';

/** This copy's guard directory, whose frames (like the core's own) never name the culprit. */
const OWN_DIRECTORY = fileURLToPath(new URL('.', import.meta.url));

/** The first frame outside this copy's guard and outside the core module: the code that loaded or built it. */
function culprit(file: string): string | undefined {
  const holder: { stack?: string } = {};
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 60;
  Error.captureStackTrace(holder);
  Error.stackTraceLimit = limit;
  const lines = (holder.stack ?? '').split('\n').filter((line) => !line.includes(file));
  return findUserFrame(lines.join('\n'), OWN_DIRECTORY);
}

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
  const frame = culprit(file);
  guard.enforce({ kind: 'module', target: file, api, ...(frame === undefined ? {} : { frame }) });
}
