import { readlinkSync } from 'node:fs';

/** Kept from load time so the guard's own lookups never pass through a patched `fs`. */
const readlink = readlinkSync;

/**
 * The file an open descriptor refers to, read from `/proc/self/fd` on Linux, so writes through descriptors and
 * file handles opened before the guard was installed are still judged by their path. Elsewhere it returns
 * undefined and only descriptors opened under the guard are covered (their open was checked).
 */
export function fileOfDescriptor(fd: unknown): string | undefined {
  if (typeof fd !== 'number' || !Number.isInteger(fd) || fd < 0 || process.platform !== 'linux')
    return undefined;
  try {
    const target = readlink(`/proc/self/fd/${fd}`);
    return target.startsWith('/') ? target.replace(/ \(deleted\)$/, '') : undefined;
  } catch {
    return undefined;
  }
}
