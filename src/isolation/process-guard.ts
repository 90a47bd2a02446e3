import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { builtins } from './builtin-modules.ts';
import { type GuardSpec, guardFunction } from './guarded-function.ts';
import type { IsolationViolation } from './isolation-violation.ts';
import type { PatchSet } from './patch-set.ts';

const { childProcess } = builtins;

type Inspect = GuardSpec['inspect'];

function word(value: unknown): string {
  if (value instanceof URL) return value.protocol === 'file:' ? fileURLToPath(value) : value.href;
  return String(value);
}

/** `spawn(file, args)`, `execFile(file, args)` and `fork(module, args)`: the command line they would run. */
const commandLine: Inspect = (_runtime, args) =>
  [args[0], ...(Array.isArray(args[1]) ? args[1] : [])].map(word).join(' ');

/** `exec(command)`: the shell command. */
const shellCommand: Inspect = (_runtime, args) => word(args[0]);

/** `ChildProcess.prototype.spawn(options)`, which every asynchronous form (and `cluster.fork`) ends in. */
export const spawnOptions: Inspect = (_runtime, args) => {
  // Node 24's process_wrap takes `spawn(file, args, cwd, envPairs, stdio, flags, uid, gid)` instead.
  const options = (typeof args[0] === 'string' ? { file: args[0], args: args[1] } : (args[0] ?? {})) as {
    file?: unknown;
    args?: unknown;
  };
  return Array.isArray(options.args) ? options.args.map(word).join(' ') : word(options.file);
};

/**
 * `exec` and `execFile` with a callback return a ChildProcess: a blocked call calls back with the violation and
 * returns one that was never spawned, so callers that attach listeners keep working.
 */
function refuseWithUnspawnedChild(violation: IsolationViolation, args: readonly unknown[]): unknown {
  const callback = args.at(-1);
  if (typeof callback !== 'function') throw violation;
  process.nextTick(callback as (error: Error) => void, violation);
  return new childProcess.ChildProcess();
}

const FORMS: readonly (readonly [string, Inspect, GuardSpec['refuse']])[] = [
  ['spawn', commandLine, 'throw'],
  ['spawnSync', commandLine, 'throw'],
  ['execFile', commandLine, refuseWithUnspawnedChild],
  ['execFileSync', commandLine, 'throw'],
  ['exec', shellCommand, refuseWithUnspawnedChild],
  ['execSync', shellCommand, 'throw'],
  ['fork', commandLine, 'throw'],
];

type Promisified = ((...args: unknown[]) => unknown) & {
  [promisify.custom]?: (...args: unknown[]) => unknown;
};

/** Patches every `child_process` function, their `util.promisify` forms, and `ChildProcess.prototype.spawn`. */
export function patchChildProcesses(patches: PatchSet): void {
  for (const [name, inspect, refuse] of FORMS) {
    const api = `child_process.${name}`;
    patches.replace<Promisified>(childProcess, name, (original) => {
      const guarded: Promisified = guardFunction(original, { kind: 'process', api, refuse, inspect });
      const custom = original[promisify.custom];
      // The built-in promisified exec closes over the original exec, so it needs its own guard.
      if (custom !== undefined) {
        guarded[promisify.custom] = guardFunction(custom, {
          kind: 'process',
          api,
          refuse: 'promise',
          inspect,
        });
      }
      return guarded;
    });
  }
  patches.replace(childProcess.ChildProcess.prototype, 'spawn', (original) =>
    guardFunction(original, {
      kind: 'process',
      api: 'ChildProcess.spawn',
      refuse: 'throw',
      inspect: spawnOptions,
    }),
  );
}
