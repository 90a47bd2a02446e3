import { readlinkSync, realpathSync } from 'node:fs';
import { basename, dirname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { StressError } from '../protocol/index.ts';
import { isUrlLike } from './call-arguments.ts';

interface Root {
  readonly path: string;
  readonly protected: boolean;
}

/** Decides which file-system paths a stress run may write; built once per guard from resolved options. */
export interface PathPolicy {
  /**
   * Returns the absolute path when writing `path` would touch a protected root, or undefined when it is allowed.
   * `destructive` also refuses removing or moving a directory that contains a protected root.
   */
  check(path: unknown, destructive: boolean): string | undefined;
  /** The same decision for an absolute path already known, such as the file behind a descriptor. */
  checkAbsolute(path: string, destructive: boolean): string | undefined;
  /**
   * For calls that act on the directory entry itself and never follow a final symlink (`unlink`, `rm`, `rmdir`,
   * `rename`): judged where the entry's parent really is. Removing or renaming a scratch symlink that points into
   * an inbox is harmless; removing the inbox entry through a linked parent is not.
   */
  checkEntry(path: unknown, destructive: boolean): string | undefined;
}

/** Keeps the original `realpathSync.native` so the guard's own lookups never pass through a patched `fs`. */
const realpath = realpathSync.native;
const readlink = readlinkSync;

/** Symlinks followed at most, as Linux's `ELOOP` limit. */
const MAX_LINKS = 40;

const caseInsensitive = process.platform === 'win32' || process.platform === 'darwin';

function normalize(path: string): string {
  return caseInsensitive ? path.toLowerCase() : path;
}

function isUnder(path: string, root: string): boolean {
  if (path === root) return true;
  return path.startsWith(root.endsWith(sep) ? root : root + sep);
}

/**
 * Where a write to `path` really lands: the real path of its deepest existing ancestor plus the rest, so a
 * symlink anywhere on the way (or `..` through one) cannot lead a write into a protected root unseen.
 */
export function realLocation(path: string, links = 0): string {
  const rest: string[] = [];
  let current = path;
  for (;;) {
    try {
      return rest.length === 0 ? realpath(current) : join(realpath(current), ...rest.reverse());
    } catch {
      // A dangling symlink: a write through it creates its target, so follow it as the kernel will.
      const target = links < MAX_LINKS ? linkTarget(current) : undefined;
      if (target !== undefined) return realLocation(join(target, ...rest.reverse()), links + 1);
      const parent = dirname(current);
      if (parent === current) return path;
      rest.push(basename(current));
      current = parent;
    }
  }
}

function linkTarget(path: string): string | undefined {
  try {
    return resolve(dirname(path), readlink(path));
  } catch {
    return undefined;
  }
}

const SLASH = 0x2f;
const ROOT = Buffer.from('/');

/**
 * Where a byte path really lands when its bytes are not UTF-8: the real path of its deepest existing ancestor,
 * looked up with the very bytes the kernel gets (decoding first would name another, or no, directory).
 */
function realLocationOfBytes(bytes: Buffer): string {
  const absolute = bytes[0] === SLASH ? bytes : Buffer.concat([Buffer.from(`${process.cwd()}/`), bytes]);
  const parts: Buffer[] = [];
  let start = 0;
  for (let index = 0; index <= absolute.length; index += 1) {
    if (index === absolute.length || absolute[index] === SLASH) {
      if (index > start) parts.push(absolute.subarray(start, index));
      start = index + 1;
    }
  }
  for (let count = parts.length; count >= 0; count -= 1) {
    const prefix = count === 0 ? ROOT : Buffer.concat(parts.slice(0, count).flatMap((part) => [ROOT, part]));
    try {
      const rest = parts.slice(count).map((part) => part.toString('utf8'));
      return realLocation(join(realpath(prefix), ...rest));
    } catch {
      // Not there: try the parent.
    }
  }
  return absolute.toString('utf8');
}

function isUtf8(bytes: Buffer): boolean {
  return Buffer.from(bytes.toString('utf8'), 'utf8').equals(bytes);
}

/**
 * Turns what Node's file APIs accept as a path (string, Buffer or other `Uint8Array`, file URL or URL-like object)
 * into a string; other values give undefined. Bytes that are not UTF-8 are resolved with the bytes themselves.
 */
export function pathArgument(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (value instanceof Uint8Array) {
    const bytes = Buffer.isBuffer(value)
      ? value
      : Buffer.from(value.buffer, value.byteOffset, value.byteLength);
    return isUtf8(bytes) ? bytes.toString('utf8') : realLocationOfBytes(bytes);
  }
  if (isUrlLike(value)) {
    try {
      return String(value.protocol) === 'file:' ? fileURLToPath(value) : undefined;
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/**
 * Where `path` really leads when that is inside a protected root although the path as written is not: a link (on
 * the way, or planted later) that would let writes meant for `path` into protected files. Undefined otherwise.
 * The guard refuses such `allowedPaths`; the reporters refuse such an output directory.
 */
export function linkIntoProtected(path: string, protectedPaths: readonly string[]): string | undefined {
  const given = resolve(path);
  const real = realLocation(given);
  if (real === given) return undefined;
  const roots = protectedPaths.flatMap((root) => [resolve(root), realLocation(resolve(root))]).map(normalize);
  if (roots.some((root) => isUnder(normalize(given), root))) return undefined;
  return roots.some((root) => isUnder(normalize(real), root)) ? real : undefined;
}

/**
 * Builds the policy: a path is refused when the deepest protected or allowed root containing it is protected,
 * judged both as written (after resolving `..`) and where it really lands. An allowed path therefore carves out a
 * subdirectory of a protected root, but never unprotects a root below it.
 */
export function createPathPolicy(
  protectedPaths: readonly string[],
  allowedPaths: readonly string[],
): PathPolicy {
  const roots: Root[] = [];
  const add = (path: string, isProtected: boolean): void => {
    for (const form of new Set([resolve(path), realLocation(resolve(path))])) {
      roots.push({ path: normalize(form), protected: isProtected });
    }
  };
  for (const path of protectedPaths) add(path, true);
  for (const path of allowedPaths) {
    // An allowed path that is a symlink into a protected root would un-protect what it points to.
    const real = linkIntoProtected(path, protectedPaths);
    if (real !== undefined) {
      throw new StressError(
        'ERR_INVALID_OPTION',
        `Expected \`allowedPaths\` to lead outside every protected root, got \`${path}\`, a symlink that really leads to \`${real}\`: allowing it would let writes into that protected directory. Allow a real directory instead.`,
        { details: { path: 'allowedPaths', received: path, real } },
      );
    }
    add(path, false);
  }
  // Deepest first, protected before allowed on a tie, so the first containing root decides.
  roots.sort((a, b) => b.path.length - a.path.length || Number(b.protected) - Number(a.protected));
  const protectedRoots = roots.filter((root) => root.protected);

  const refused = (path: string, destructive: boolean): boolean => {
    const normalized = normalize(path);
    const deciding = roots.find((root) => isUnder(normalized, root.path));
    if (deciding?.protected === true) return true;
    if (!destructive) return false;
    return protectedRoots.some((root) => isUnder(root.path, normalized));
  };

  const checkAbsolute = (path: string, destructive: boolean): string | undefined => {
    if (refused(path, destructive)) return path;
    const real = realLocation(path);
    return real !== path && refused(real, destructive) ? path : undefined;
  };

  return {
    checkAbsolute,
    checkEntry(value, destructive) {
      const given = pathArgument(value);
      if (given === undefined) return undefined;
      const path = resolve(given);
      // A trailing slash makes the kernel follow a final symlink: judge it as any other path.
      if (given.endsWith(sep) || given.endsWith('/.')) return checkAbsolute(path, destructive);
      if (refused(path, destructive)) return path;
      const parent = dirname(path);
      if (parent === path) return undefined;
      const real = join(realLocation(parent), basename(path));
      return real !== path && refused(real, destructive) ? path : undefined;
    },
    check(value, destructive) {
      const path = pathArgument(value);
      return path === undefined ? undefined : checkAbsolute(resolve(path), destructive);
    },
  };
}
