import { closeSync, constants, fstatSync, openSync, readSync, type Stats, statSync } from 'node:fs';

/** Why a file could not be inspected; every one keeps the verdict from being "clear". */
export type UncheckedReason =
  | 'missing'
  | 'symlink-loop'
  | 'special-file'
  | 'too-large'
  | 'unreadable'
  | 'binary'
  | 'empty'
  | 'syntax-error';

/** A file's text, or why there is none to inspect. */
export type SourceRead =
  | { readonly ok: true; readonly text: string }
  | { readonly ok: false; readonly reason: UncheckedReason; readonly detail: string };

/** The default bound on one project file's size: far above any hand-written test, far below a stray dump. */
export const DEFAULT_MAX_FILE_BYTES = 1024 * 1024;

function kind(stats: Stats): string {
  if (stats.isDirectory()) return 'a directory';
  if (stats.isFIFO()) return 'a FIFO (named pipe)';
  if (stats.isSocket()) return 'a socket';
  if (stats.isCharacterDevice()) return 'a character device';
  if (stats.isBlockDevice()) return 'a block device';
  return 'not a regular file';
}

function failure(reason: UncheckedReason, detail: string): SourceRead {
  return { ok: false, reason, detail };
}

function statFailure(error: unknown): SourceRead {
  const code = (error as NodeJS.ErrnoException).code ?? 'unknown error';
  if (code === 'ELOOP')
    return failure('symlink-loop', 'is a symbolic link that leads back to itself (ELOOP)');
  if (code === 'ENOENT' || code === 'ENOTDIR') {
    return failure('missing', 'does not exist (a dangling symbolic link or a broken path)');
  }
  return failure('unreadable', `could not be read (${code})`);
}

function decode(bytes: Buffer): SourceRead {
  // A byte-order mark of UTF-16 is text the compiler reads; everything else must be valid UTF-8.
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) {
    return { ok: true, text: new TextDecoder('utf-16le').decode(bytes.subarray(2)) };
  }
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) {
    return { ok: true, text: new TextDecoder('utf-16be').decode(bytes.subarray(2)) };
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    return failure('binary', 'is not text (invalid UTF-8)');
  }
  if (text.includes('\u0000')) return failure('binary', 'is not text (it contains NUL bytes)');
  if (text.trim() === '') return failure('empty', 'is empty: there is no code to check');
  return { ok: true, text };
}

/**
 * Reads a project file for the validator without ever blocking or reading without end: symbolic links are
 * followed once by the OS (a loop is `symlink-loop`), only regular files are opened (non-blocking, and checked
 * again on the open descriptor, so a FIFO swapped in after the first look cannot hang the read), and at most
 * `maxBytes` are read.
 */
export function readSourceFile(path: string, maxBytes: number): SourceRead {
  let stats: Stats;
  try {
    stats = statSync(path);
  } catch (error) {
    return statFailure(error);
  }
  if (!stats.isFile()) return failure('special-file', `is ${kind(stats)}, not a source file`);
  if (stats.size > maxBytes) {
    return failure('too-large', `is ${stats.size} bytes, over the ${maxBytes}-byte bound for one file`);
  }
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    return statFailure(error);
  }
  try {
    const opened = fstatSync(fd);
    if (!opened.isFile()) return failure('special-file', `is ${kind(opened)}, not a source file`);
    let buffer = Buffer.allocUnsafe(Math.min(opened.size, maxBytes) + 1);
    let length = 0;
    for (;;) {
      const read = readSync(fd, buffer, length, buffer.length - length, null);
      if (read === 0) break;
      length += read;
      if (length > maxBytes) {
        return failure('too-large', `grew past the ${maxBytes}-byte bound for one file while it was read`);
      }
      if (length === buffer.length) {
        const grown = Buffer.allocUnsafe(Math.min(buffer.length * 2, maxBytes + 1));
        buffer.copy(grown, 0, 0, length);
        buffer = grown;
      }
    }
    return decode(buffer.subarray(0, length));
  } catch (error) {
    return statFailure(error);
  } finally {
    closeSync(fd);
  }
}
