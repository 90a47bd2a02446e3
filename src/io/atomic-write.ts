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

const FLUSH_BYTES = 1 << 20;

/** Writes text pieces in order, gathering them into writes of about 1 MiB, so memory stays bounded. */
async function writePieces(handle: FileHandle, pieces: Iterable<string>): Promise<void> {
  let pending: string[] = [];
  let length = 0;
  const flush = async () => {
    const data = Buffer.from(pending.join(''));
    pending = [];
    length = 0;
    let written = 0;
    while (written < data.length) {
      written += (await handle.write(data, written, data.length - written)).bytesWritten;
    }
  };
  for (const piece of pieces) {
    pending.push(piece);
    length += piece.length;
    if (length >= FLUSH_BYTES) await flush();
  }
  if (length > 0) await flush();
}

/**
 * Writes `data` to `path` so a reader sees either the old file or the whole new one, never a part: a temp file
 * in the same directory is written, fsynced and renamed over `path`, then the directory is fsynced. `data` may
 * be an iterable of text pieces, written in about 1 MiB writes as it is iterated, so a file larger than any
 * string can be is written in bounded memory. The temp
 * file is removed when anything fails; the error is a `StressError` with code `ERR_IO` naming `path`.
 * @example await writeFileAtomic('out/metrics.json', JSON.stringify(snapshot));
 */
export async function writeFileAtomic(
  path: string,
  data: string | Uint8Array | Iterable<string>,
): Promise<void> {
  const directory = dirname(path);
  const temp = join(
    directory,
    `.${basename(path)}.${process.pid}.${randomBytes(6).toString('hex')}${ATOMIC_TEMP_SUFFIX}`,
  );
  let handle: FileHandle | undefined;
  try {
    handle = await open(temp, 'wx');
    if (typeof data === 'string' || data instanceof Uint8Array) await handle.writeFile(data);
    else await writePieces(handle, data);
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
