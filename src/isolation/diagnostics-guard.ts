import { resolve } from 'node:path';
import { builtins } from './builtin-modules.ts';
import { type GuardSpec, guardFunction } from './guarded-function.ts';
import type { PatchSet } from './patch-set.ts';

type Inspect = GuardSpec['inspect'];

/**
 * A write Node's diagnostics make by themselves, judged by the path rules: `file` as given (relative to
 * `directory`), or, when Node picks the name, a file of that kind in `directory`.
 */
function fileIn(directory: string, file: unknown, defaultName: string): string {
  return resolve(directory, typeof file === 'string' && file.length > 0 ? file : defaultName);
}

const heapSnapshot: Inspect = (runtime, [file]) =>
  runtime.policy.check(fileIn(process.cwd(), file, 'Heap.heapsnapshot'), false);

// `writeReport([filename][, err])`: a first argument that is not a string is the error, and Node names the file.
const report: Inspect = (runtime, [file]) =>
  runtime.policy.check(fileIn(process.report?.directory || process.cwd(), file, 'report.json'), false);

// Tracing writes `node_trace.<rotation>.log` into the working directory (the pattern is fixed at startup).
const tracing: Inspect = (runtime) =>
  runtime.policy.check(fileIn(process.cwd(), undefined, 'node_trace.1.log'), false);

/**
 * Patches the diagnostics that write files themselves, outside `fs`: `v8.writeHeapSnapshot`,
 * `process.report.writeReport` and `trace_events.createTracing` (whose tracing writes into the working directory).
 * Each is judged by the path rules, so a heap snapshot or report aimed into an inbox is refused, and one in
 * `logs/` or the temp directory is not.
 */
export function patchDiagnostics(patches: PatchSet): void {
  const guard = (target: object, key: string, api: string, inspect: Inspect): void =>
    patches.replace(target, key, (original) =>
      guardFunction(original, { kind: 'fs-write', api, refuse: 'throw', inspect }),
    );
  guard(builtins.v8, 'writeHeapSnapshot', 'v8.writeHeapSnapshot', heapSnapshot);
  if (process.report !== undefined)
    guard(process.report, 'writeReport', 'process.report.writeReport', report);
  guard(builtins.traceEvents, 'createTracing', 'trace_events.createTracing', tracing);
}
