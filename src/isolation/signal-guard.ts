import { constants } from 'node:os';
import { type GuardSpec, guardFunction } from './guarded-function.ts';
import type { PatchSet } from './patch-set.ts';

const SIGNALS = constants.signals as Readonly<Record<string, number>>;
const NAMES = new Map(Object.entries(SIGNALS).map(([name, number]) => [number, name]));

/**
 * What `process.kill(pid, signal)` would reach, as the guard names it (`signal SIGUSR1 to pid 4242`), or
 * undefined when it reaches nothing outside this process: a probe (signal 0 sends nothing), a signal to this
 * process itself, or a call Node refuses before sending (a pid that is not an integer, an unknown signal name).
 * Resolves the signal as Node does: a missing or empty one is SIGTERM.
 */
export function signalTarget(pid: unknown, signal?: unknown): string | undefined {
  let id: number;
  let number: number | undefined;
  try {
    // biome-ignore lint/suspicious/noDoubleEquals: Node's own test of an integer pid, coercion included.
    if (pid != ((pid as number) | 0)) return undefined;
    id = (pid as number) | 0;
    if (signal === ((signal as number) | 0)) number = signal as number;
    else {
      const name = String(signal || 'SIGTERM');
      number = Object.hasOwn(SIGNALS, name) ? SIGNALS[name] : undefined;
    }
  } catch {
    // A symbol or a BigInt: Node throws on it too, before sending anything.
    return undefined;
  }
  if (number === undefined || number === 0 || id === process.pid) return undefined;
  const who =
    id === 0
      ? ' (its process group)'
      : id === -1
        ? ' (every process)'
        : id < 0
          ? ` (process group ${-id})`
          : '';
  return `signal ${NAMES.get(number) ?? number} to pid ${id}${who}`;
}

const inspectKill: GuardSpec['inspect'] = (_runtime, args) => signalTarget(args[0], args[1]);

/**
 * Patches `process.kill` and the raw `process._kill` it calls (which code can call directly): a signal to
 * another process (a delivery daemon told to flush, a helper killed) leaves the test's process like a spawn does.
 */
export function patchSignals(patches: PatchSet): void {
  for (const key of ['kill', '_kill'] as const) {
    patches.replace(process, key, (original) =>
      guardFunction(original, {
        kind: 'process',
        api: `process.${key}`,
        refuse: 'throw',
        inspect: inspectKill,
      }),
    );
  }
}
