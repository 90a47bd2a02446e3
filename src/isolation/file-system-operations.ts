import { builtins } from './builtin-modules.ts';
import { fileOfDescriptor } from './file-descriptor-path.ts';
import type { GuardSpec } from './guarded-function.ts';
import { pathArgument } from './path-policy.ts';

const { fs } = builtins;

/** Inspects a call's arguments (and receiver) and returns the protected path it would write, if any. */
export type Inspect = GuardSpec['inspect'];

const WRITE_FLAG_BITS =
  fs.constants.O_WRONLY |
  fs.constants.O_RDWR |
  fs.constants.O_CREAT |
  fs.constants.O_TRUNC |
  fs.constants.O_APPEND;

/** Whether `open` flags can create, change or truncate a file (`w`, `a`, `+`, or the matching bits). */
export function writesWithFlags(flags: unknown): boolean {
  if (typeof flags === 'string') return flags.includes('w') || flags.includes('a') || flags.includes('+');
  if (typeof flags === 'number') return (flags & WRITE_FLAG_BITS) !== 0;
  return false;
}

function isFileHandle(value: unknown): value is { readonly fd: number } {
  return typeof value === 'object' && value !== null && typeof (value as { fd?: unknown }).fd === 'number';
}

/** A descriptor number: the file behind it, on Linux. */
export const descriptor =
  (index: number): Inspect =>
  (runtime, args) => {
    const file = fileOfDescriptor(args[index]);
    return file === undefined ? undefined : runtime.policy.checkAbsolute(file, false);
  };

const pathAt =
  (index: number, destructive = false): Inspect =>
  (runtime, args) =>
    runtime.policy.check(args[index], destructive);

const entryAt =
  (index: number): Inspect =>
  (runtime, args) =>
    runtime.policy.checkEntry(args[index], true);

const entriesAt =
  (indexes: readonly number[]): Inspect =>
  (runtime, args) => {
    for (const index of indexes) {
      const target = runtime.policy.checkEntry(args[index], true);
      if (target !== undefined) return target;
    }
    return undefined;
  };

/** `mkdir(path, { recursive: true })` on a directory that exists already does nothing, so it is not a write. */
export const mkdirAt = (): Inspect => (runtime, args) => {
  const options = args[1];
  const recursive =
    typeof options === 'object' &&
    options !== null &&
    (options as { recursive?: unknown }).recursive === true;
  if (recursive) {
    const path = pathArgument(args[0]);
    if (path !== undefined && fs.statSync(path, { throwIfNoEntry: false })?.isDirectory() === true) {
      return undefined;
    }
  }
  return runtime.policy.check(args[0], false);
};

const pathsAt =
  (indexes: readonly number[], destructive = false): Inspect =>
  (runtime, args) => {
    for (const index of indexes) {
      const target = runtime.policy.check(args[index], destructive);
      if (target !== undefined) return target;
    }
    return undefined;
  };

/** A path, a descriptor number or a FileHandle, as `writeFile`, `appendFile` and `truncate` accept. */
export const fileAt =
  (index: number): Inspect =>
  (runtime, args) => {
    const file = args[index];
    if (typeof file === 'number') return descriptor(index)(runtime, args, undefined);
    if (isFileHandle(file)) return descriptor(0)(runtime, [file.fd], undefined);
    return runtime.policy.check(file, false);
  };

/** `open(path, flags)`: the path, when the flags write. */
export const openAt = (): Inspect => (runtime, args) =>
  writesWithFlags(args[1]) ? runtime.policy.check(args[0], false) : undefined;

/** `readFile(path, options)`: read functions create or empty files when given a writing `flag`. */
export const readAt = (): Inspect => (runtime, args) => {
  const options = args[1];
  if (typeof options !== 'object' || options === null) return undefined;
  const { flag } = options as { readonly flag?: unknown };
  return flag !== undefined && writesWithFlags(flag) ? fileAt(0)(runtime, args, undefined) : undefined;
};

/** `createWriteStream(path, options)` (and a read stream opened with writing flags): its path or `fd`. */
export const streamAt =
  (defaultFlags: string): Inspect =>
  (runtime, args) => {
    const options =
      typeof args[1] === 'object' && args[1] !== null ? (args[1] as Record<string, unknown>) : {};
    if (!writesWithFlags(options.flags ?? defaultFlags)) return undefined;
    if (options.fd === undefined) return runtime.policy.check(args[0], false);
    return fileAt(0)(runtime, [options.fd], undefined);
  };

/** A FileHandle method: the file behind the handle it is called on. */
export const handleMethod: Inspect = (runtime, _args, self) =>
  isFileHandle(self) ? descriptor(0)(runtime, [self.fd], undefined) : undefined;

/** Every `fs` operation that creates, changes or deletes, by the base name of its callback form. */
export const OPERATIONS: readonly (readonly [string, Inspect])[] = [
  ['writeFile', fileAt(0)],
  ['readFile', readAt()],
  ['appendFile', fileAt(0)],
  ['open', openAt()],
  ['write', descriptor(0)],
  ['writev', descriptor(0)],
  ['rename', entriesAt([0, 1])],
  ['copyFile', pathAt(1)],
  ['cp', pathAt(1, true)],
  ['mkdir', mkdirAt()],
  ['mkdtemp', pathAt(0)],
  ['rm', entryAt(0)],
  ['rmdir', entryAt(0)],
  ['unlink', entryAt(0)],
  ['symlink', pathAt(1)],
  // A hard link to a protected file would make it writable through an unprotected name.
  ['link', pathsAt([0, 1])],
  ['truncate', fileAt(0)],
  ['ftruncate', descriptor(0)],
  ['utimes', pathAt(0)],
  ['lutimes', pathAt(0)],
  ['futimes', descriptor(0)],
  ['chmod', pathAt(0)],
  ['lchmod', pathAt(0)],
  ['fchmod', descriptor(0)],
  ['chown', pathAt(0)],
  ['lchown', pathAt(0)],
  ['fchown', descriptor(0)],
];

/** Operations of `fs.promises` (the same object as `node:fs/promises`); the rest take FileHandles. */
export const PROMISE_OPERATIONS = new Set([
  'writeFile',
  'readFile',
  'appendFile',
  'open',
  'rename',
  'copyFile',
  'cp',
  'mkdir',
  'mkdtemp',
  'rm',
  'rmdir',
  'unlink',
  'symlink',
  'link',
  'truncate',
  'utimes',
  'lutimes',
  'chmod',
  'lchmod',
  'chown',
  'lchown',
]);

/**
 * Operations that create or change a file by path, re-checked when their asynchronous forms complete: the path
 * can lead somewhere else by then (a checked directory swapped for a symlink while the call waited for the thread
 * pool). Removals and renames act on the entry they name and leave nothing to look at afterwards.
 */
export const RECHECKED_OPERATIONS = new Set([
  'writeFile',
  'readFile',
  'appendFile',
  'open',
  'copyFile',
  'cp',
  'mkdir',
  'symlink',
  'link',
  'truncate',
]);

/** The `FileHandle.prototype` methods that change a file. */
export const FILE_HANDLE_METHODS = [
  'writeFile',
  'appendFile',
  'write',
  'writev',
  'truncate',
  'utimes',
  'chmod',
  'chown',
];
