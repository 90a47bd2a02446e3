import { randomBytes } from 'node:crypto';
import { type FileHandle, open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { StressError } from '../protocol/index.ts';

// Opening a directory to fsync it is refused on some platforms (Windows) and file systems; there the rename
// is as durable as the platform lets us make it.
const UNSUPPORTED_DIRECTORY_SYNC = new Set(['EISDIR', 'EINVAL', 'EPERM', 'EACCES', 'ENOTSUP', 'EBADF']);

/** The name ending of the temp files {@link writeFileAtomic} leaves behind when the process dies mid-write. */
export const ATOMIC_TEMP_SUFFIX = '.tmp';

/** Fsyncs a directory so a rename or a new file in it survives a power loss, where the platform allows it. */
export async function syncDirectory(directory: string): Promise<void> {
  let handle: FileHandle | undefined;
  try {
    handle = await open(directory, 'r');
    await handle.sync();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === undefined || !UNSUPPORTED_DIRECTORY_SYNC.has(code)) throw error;
  } finally {
    await handle?.close();
  }
}

/**
 * Writes `data` to `path` so a reader sees either the old file or the whole new one, never a part: a temp file
 * in the same directory is written, fsynced and renamed over `path`, then the directory is fsynced. The temp
 * file is removed when anything fails; the error is a `StressError` with code `ERR_IO` naming `path`.
 * @example await writeFileAtomic('out/metrics.json', JSON.stringify(snapshot));
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  const directory = dirname(path);
  const temp = join(
    directory,
    `.${basename(path)}.${process.pid}.${randomBytes(6).toString('hex')}${ATOMIC_TEMP_SUFFIX}`,
  );
  let handle: FileHandle | undefined;
  try {
    handle = await open(temp, 'wx');
    await handle.writeFile(data);
    await handle.sync();
    await handle.close();
    handle = undefined;
    await rename(temp, path);
    await syncDirectory(directory);
  } catch (error) {
    await handle?.close().catch(() => undefined);
    await rm(temp, { force: true }).catch(() => undefined);
    throw new StressError(
      'ERR_IO',
      `Expected to write \`${path}\` atomically (temp file, fsync, rename), but it failed: ${(error as Error).message}.`,
      { cause: error, details: { path } },
    );
  }
}
