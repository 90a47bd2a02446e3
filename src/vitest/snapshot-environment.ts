import { fileURLToPath } from 'node:url';
import { VitestSnapshotEnvironment } from 'vitest/runtime';
import { isolationRegistry } from '../isolation/isolation-registry.ts';
import { captureUserFrame } from '../isolation/user-frame.ts';

const THIS_FILE = fileURLToPath(import.meta.url);

/**
 * Vitest writes snapshot files itself after the file's last test, where a refused write is an unhandled error that
 * names no test. Judged when the assertion resolves the path, a snapshot aimed at a protected path fails the test
 * that asked for it (blamed like any escape) and is never written.
 */
function judge(path: string, api: string): void {
  const registry = isolationRegistry();
  const guard = registry.guard;
  if (guard === undefined || !guard.installed || registry.runtime === undefined) return;
  const target = registry.runtime.policy.check(path, false);
  if (target === undefined) return;
  // Vitest's matcher leaves no frame of the test on the stack; then none is named (the test is, by its context).
  guard.enforce({ kind: 'fs-write', target, api, frame: captureUserFrame(THIS_FILE) });
}

/** The stress project's snapshot environment: Vitest's own, with every snapshot path judged by the guard. */
class GuardedSnapshotEnvironment extends VitestSnapshotEnvironment {
  override async resolvePath(filepath: string): Promise<string> {
    const path = await super.resolvePath(filepath);
    judge(path, 'toMatchSnapshot');
    return path;
  }

  override async resolveRawPath(testPath: string, rawPath: string): Promise<string> {
    const path = await super.resolveRawPath(testPath, rawPath);
    judge(path, 'toMatchFileSnapshot');
    return path;
  }
}

export default new GuardedSnapshotEnvironment();
