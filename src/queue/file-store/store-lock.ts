import { randomBytes } from 'node:crypto';
import { link, open, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import { StressError } from '../../protocol/index.ts';

/** The file name of a store's lock inside its directory. */
export const LOCK_FILE_NAME = 'LOCK';

/** Who holds a store lock, as written in the lock file. */
export interface StoreLockHolder {
  readonly pid: number;
  readonly hostname: string;
  readonly acquiredAt: string;
  /** Random per acquisition, so a holder can tell its own lock file from a successor's. */
  readonly token: string;
}

/** A held store lock; {@link StoreLock.release} removes the lock file if it is still this holder's. */
export interface StoreLock {
  readonly path: string;
  readonly holder: StoreLockHolder;
  /** True when acquiring it removed a stale lock left by a dead process. */
  readonly recoveredStale: boolean;
  release(): Promise<void>;
  /**
   * Releases the lock after an open that failed: a stale lock it took over is put back as it was, so the next
   * open still learns that the store was not closed.
   */
  releaseUnused(): Promise<void>;
}

// Lock files held by this process: a lock file naming our own pid that is not in here was left by an earlier
// process that had the same pid (common for pid 1 in containers), so it is stale.
const heldHere = new Map<string, string>();

const errnoOf = (error: unknown): string | undefined => (error as NodeJS.ErrnoException).code;

interface LockFile {
  readonly raw: string;
  readonly holder: StoreLockHolder | undefined;
  /** Milliseconds since the lock file was last modified (0 when unknown). */
  readonly ageMs?: number;
}

/**
 * A lock file is complete the moment it appears (linked into place), except on file systems without hard links,
 * where its content follows its creation by a moment. One that is still unreadable after this long was left
 * by a writer that died in that moment, or was damaged: no live holder can be behind it.
 */
export const UNREADABLE_LOCK_STALE_MS = 10_000;

async function readLockFile(path: string): Promise<LockFile | undefined> {
  let raw: string;
  try {
    raw = await readFile(path, 'utf8');
  } catch (error) {
    if (errnoOf(error) === 'ENOENT') return undefined;
    throw error;
  }
  try {
    const value = JSON.parse(raw) as Partial<StoreLockHolder>;
    const ok = Number.isSafeInteger(value.pid) && typeof value.hostname === 'string';
    if (ok) return { raw, holder: value as StoreLockHolder };
  } catch {
    // Unreadable: judged by its age below.
  }
  const ageMs = await stat(path).then(
    (s) => Date.now() - s.mtimeMs,
    () => 0,
  );
  return { raw, holder: undefined, ageMs };
}

/** Creates the lock file with its whole content in one step: link() fails if it exists and is never half-written. */
async function tryCreate(path: string, content: string, token: string): Promise<boolean> {
  const pending = `${path}.${token}.pending`;
  const handle = await open(pending, 'wx');
  try {
    await handle.writeFile(content);
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await link(pending, path);
    return true;
  } catch (error) {
    if (errnoOf(error) === 'EEXIST') return false;
    if (!['EPERM', 'ENOTSUP', 'ENOSYS', 'EXDEV'].includes(errnoOf(error) ?? '')) throw error;
    return createExclusive(path, content);
  } finally {
    await unlink(pending).catch(() => undefined);
  }
}

// For file systems without hard links: `wx` is still exclusive, only the content is written a moment later.
async function createExclusive(path: string, content: string): Promise<boolean> {
  try {
    const handle = await open(path, 'wx');
    try {
      await handle.writeFile(content);
      await handle.sync();
    } finally {
      await handle.close();
    }
    return true;
  } catch (error) {
    if (errnoOf(error) === 'EEXIST') return false;
    throw error;
  }
}

function isStale(holder: StoreLockHolder, path: string): boolean {
  if (holder.hostname !== hostname()) return false;
  if (holder.pid === process.pid) return !heldHere.has(path);
  try {
    process.kill(holder.pid, 0);
    return false;
  } catch (error) {
    return errnoOf(error) === 'ESRCH';
  }
}

/**
 * Removes a stale lock file only if it is still the one judged stale: renaming is atomic, so of two processes
 * taking over at once one renames the stale file and the other finds (and puts back) the winner's fresh one.
 */
async function takeOver(path: string, stale: LockFile, token: string): Promise<boolean> {
  const aside = `${path}.${token}.stale`;
  try {
    await rename(path, aside);
  } catch (error) {
    if (errnoOf(error) === 'ENOENT') return false;
    throw error;
  }
  const moved = await readLockFile(aside);
  const wasStale = moved?.raw === stale.raw;
  if (!wasStale) await link(aside, path).catch(() => undefined);
  await unlink(aside);
  return wasStale;
}

function lockedError(path: string, file: LockFile): StressError {
  const holder = file.holder;
  let who: string;
  let fix: string;
  let reason: 'live' | 'other-host' | 'unreadable';
  if (holder === undefined) {
    reason = 'unreadable';
    who = 'an unreadable lock file written moments ago';
    fix =
      `Another process may be creating it right now: retry. One still unreadable after ` +
      `${UNREADABLE_LOCK_STALE_MS / 1000} s is taken over as stale.`;
  } else if (holder.hostname !== hostname()) {
    reason = 'other-host';
    who = `process ${holder.pid} on host "${holder.hostname}" (since ${holder.acquiredAt})`;
    fix =
      `This host cannot tell whether that process is alive, so the lock is not taken over. If no process on ` +
      `"${holder.hostname}" uses the store (e.g. that container is gone), delete \`${path}\` and open again: ` +
      'the open recovers the store and reports an unclean shutdown.';
  } else {
    reason = 'live';
    who = `process ${holder.pid} on host "${holder.hostname}" (since ${holder.acquiredAt})`;
    fix = 'Close the other store first.';
  }
  return new StressError(
    'ERR_STORE_LOCKED',
    `Expected the queue store at \`${path}\` to be unlocked, got ${who}. ${fix}`,
    {
      details: { path, pid: holder?.pid, hostname: holder?.hostname, reason },
    },
  );
}

/**
 * Takes the `LOCK` file of a store directory for this process, recovering a stale lock whose holder process
 * on this host is gone, or one still unreadable after {@link UNREADABLE_LOCK_STALE_MS}; throws `ERR_STORE_LOCKED` naming the holder pid when another store holds it.
 */
export async function acquireStoreLock(directory: string): Promise<StoreLock> {
  const path = resolve(join(directory, LOCK_FILE_NAME));
  const token = randomBytes(8).toString('hex');
  const holder: StoreLockHolder = {
    pid: process.pid,
    hostname: hostname(),
    acquiredAt: new Date().toISOString(),
    token,
  };
  const content = `${JSON.stringify(holder)}\n`;
  let stale: string | undefined;
  for (let attempt = 0; attempt < 8; attempt++) {
    if (await tryCreate(path, content, token)) {
      heldHere.set(path, token);
      return {
        path,
        holder,
        recoveredStale: stale !== undefined,
        release: () => release(path, token),
        releaseUnused: () => (stale === undefined ? release(path, token) : restore(path, token, stale)),
      };
    }
    const existing = await readLockFile(path);
    if (existing === undefined) continue;
    const stuck = existing.holder === undefined && (existing.ageMs ?? 0) > UNREADABLE_LOCK_STALE_MS;
    if (!stuck && (existing.holder === undefined || !isStale(existing.holder, path))) {
      throw lockedError(path, existing);
    }
    if (await takeOver(path, existing, token)) stale = existing.raw;
  }
  const last = await readLockFile(path);
  throw lockedError(path, last ?? { raw: '', holder: undefined });
}

async function release(path: string, token: string): Promise<void> {
  if (heldHere.get(path) !== token) return;
  const current = await readLockFile(path);
  if (current?.holder?.token === token) await unlink(path);
  heldHere.delete(path);
}

/** Puts a stale lock's content back in place of ours (atomically), if the lock file is still ours. */
async function restore(path: string, token: string, content: string): Promise<void> {
  if (heldHere.get(path) !== token) return;
  const current = await readLockFile(path);
  if (current?.holder?.token === token) {
    const temp = `${path}.${token}.restore`;
    await writeFile(temp, content);
    await rename(temp, path);
  }
  heldHere.delete(path);
}
