import { builtins } from './builtin-modules.ts';
import {
  FILE_HANDLE_METHODS,
  handleMethod,
  OPERATIONS,
  PROMISE_OPERATIONS,
  RECHECKED_OPERATIONS,
  streamAt,
} from './file-system-operations.ts';
import { guardFunction } from './guarded-function.ts';
import type { PatchSet } from './patch-set.ts';

const { fs } = builtins;

/** Patches the callback, sync, stream and promise forms of every writing `fs` API, and FileHandle methods. */
export function patchFileSystem(patches: PatchSet, fileHandlePrototype: object): void {
  for (const [name, inspect] of OPERATIONS) {
    const kind = 'fs-write';
    const recheck = RECHECKED_OPERATIONS.has(name);
    patches.replace(fs, name, (original) =>
      guardFunction(original, { kind, api: `fs.${name}`, refuse: 'callback', inspect, recheck }),
    );
    patches.replace(fs, `${name}Sync`, (original) =>
      guardFunction(original, { kind, api: `fs.${name}Sync`, refuse: 'throw', inspect }),
    );
    if (PROMISE_OPERATIONS.has(name)) {
      patches.replace(fs.promises, name, (original) =>
        guardFunction(original, { kind, api: `fs.promises.${name}`, refuse: 'promise', inspect, recheck }),
      );
    }
  }
  patches.replace(fs, 'createWriteStream', (original) =>
    guardFunction(original, {
      kind: 'fs-write',
      api: 'fs.createWriteStream',
      refuse: 'throw',
      inspect: streamAt('w'),
    }),
  );
  patches.replace(fs, 'createReadStream', (original) =>
    guardFunction(original, {
      kind: 'fs-write',
      api: 'fs.createReadStream',
      refuse: 'throw',
      inspect: streamAt('r'),
    }),
  );
  for (const name of FILE_HANDLE_METHODS) {
    patches.replace(fileHandlePrototype, name, (original) =>
      guardFunction(original, {
        kind: 'fs-write',
        api: `FileHandle.${name}`,
        refuse: 'promise',
        inspect: handleMethod,
      }),
    );
  }
  patches.replace(fileHandlePrototype, 'createWriteStream', (original) =>
    guardFunction(original, {
      kind: 'fs-write',
      api: 'FileHandle.createWriteStream',
      refuse: 'throw',
      inspect: handleMethod,
    }),
  );
}
