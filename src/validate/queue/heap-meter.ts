import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

let collect: (() => void) | undefined;

/**
 * Node's garbage collector as a function: `global.gc` when the process runs with `--expose-gc`, otherwise
 * exposed once through V8's flags (a fresh context then sees `gc`).
 */
function collector(): () => void {
  if (collect !== undefined) return collect;
  const exposed = (globalThis as { gc?: () => void }).gc;
  if (typeof exposed === 'function') {
    collect = exposed;
  } else {
    setFlagsFromString('--expose-gc');
    collect = runInNewContext('gc') as () => void;
  }
  return collect;
}

/** The heap in use after two full collections, in bytes: what is still reachable, not garbage. */
export function settledHeapBytes(): number {
  const gc = collector();
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}
