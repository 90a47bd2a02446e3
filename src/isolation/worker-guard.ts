import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { builtins } from './builtin-modules.ts';
import { guardConstructor } from './guarded-function.ts';
import type { PatchSet } from './patch-set.ts';

/** What a `new Worker(filename, options)` would run: its file, or the start of its `eval` code. */
function workerTarget(args: readonly unknown[]): string {
  const [filename, options] = args;
  if ((options as { eval?: unknown } | undefined)?.eval === true)
    return `eval:${String(filename).slice(0, 80)}`;
  if (filename instanceof URL) return filename.protocol === 'file:' ? fileURLToPath(filename) : filename.href;
  return typeof filename === 'string' && !filename.startsWith('data:') ? resolve(filename) : String(filename);
}

/** Replaces `worker_threads.Worker` with a class whose construction is checked (subclasses keep working). */
export function patchWorkers(patches: PatchSet): void {
  patches.replace<object>(builtins.workerThreads, 'Worker', (original) =>
    guardConstructor(original, {
      kind: 'worker',
      api: 'worker_threads.Worker',
      inspect: (_runtime, args) => workerTarget(args),
    }),
  );
}
