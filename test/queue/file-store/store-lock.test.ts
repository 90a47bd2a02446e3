import { mkdtemp, readdir, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type StoreChild, spawnStoreChild } from '../../../fixtures/store-crash/spawn-child.ts';
import { StressError } from '../../../src/protocol/index.ts';
import {
  acquireStoreLock,
  type StoreLock,
  UNREADABLE_LOCK_STALE_MS,
} from '../../../src/queue/file-store/store-lock.ts';

const directories: string[] = [];
const locks: StoreLock[] = [];
const children: StoreChild[] = [];

async function tempDirectory(): Promise<string> {
  const directory = await mkdtemp(join(tmpdir(), 'vitest-stress-lock-'));
  directories.push(directory);
  return directory;
}

async function acquire(directory: string): Promise<StoreLock> {
  const lock = await acquireStoreLock(directory);
  locks.push(lock);
  return lock;
}

async function lockedError(directory: string): Promise<StressError> {
  try {
    await acquire(directory);
  } catch (error) {
    if (StressError.is(error, 'ERR_STORE_LOCKED')) return error;
    throw error;
  }
  throw new Error('expected ERR_STORE_LOCKED');
}

afterEach(async () => {
  await Promise.all(children.splice(0).map((child) => child.kill()));
  await Promise.all(locks.splice(0).map((lock) => lock.release()));
  await Promise.all(directories.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

const holderFile = (pid: number, host = hostname()): string =>
  JSON.stringify({ pid, hostname: host, acquiredAt: '2025-01-28T14:30:00.000Z', token: 'old' });

describe('acquireStoreLock', () => {
  it('writes the pid and hostname, refuses a second holder in this process, and frees on release', async () => {
    const directory = await tempDirectory();
    const lock = await acquire(directory);
    expect(JSON.parse(await readFile(join(directory, 'LOCK'), 'utf8'))).toMatchObject({
      pid: process.pid,
      hostname: hostname(),
    });
    const error = await lockedError(directory);
    expect(error.message).toContain(`process ${process.pid}`);
    expect(error.details).toMatchObject({ pid: process.pid });
    await lock.release();
    expect(await readdir(directory)).toEqual([]);
    const again = await acquire(directory);
    expect(again.recoveredStale).toBe(false);
  });

  it('takes over a lock whose holder process is gone', async () => {
    const directory = await tempDirectory();
    await writeFile(join(directory, 'LOCK'), holderFile(2_000_000_000));
    const lock = await acquire(directory);
    expect(lock.recoveredStale).toBe(true);
    expect(JSON.parse(await readFile(join(directory, 'LOCK'), 'utf8')).token).toBe(lock.holder.token);
    expect((await readdir(directory)).sort()).toEqual(['LOCK']);
  });

  it('lets exactly one of two concurrent takeovers of a stale lock win', async () => {
    const directory = await tempDirectory();
    await writeFile(join(directory, 'LOCK'), holderFile(2_000_000_000));
    const results = await Promise.allSettled([acquire(directory), acquire(directory), acquire(directory)]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    for (const result of results) {
      if (result.status === 'rejected') expect(StressError.is(result.reason, 'ERR_STORE_LOCKED')).toBe(true);
    }
    expect((await readdir(directory)).sort()).toEqual(['LOCK']);
  });

  it('treats a lock naming this pid but not held here as left by an earlier process with that pid', async () => {
    const directory = await tempDirectory();
    await writeFile(join(directory, 'LOCK'), holderFile(process.pid));
    expect((await acquire(directory)).recoveredStale).toBe(true);
  });

  it('refuses a lock held by a live process, one from another host, and an unreadable one', async () => {
    const directory = await tempDirectory();
    await writeFile(join(directory, 'LOCK'), holderFile(process.ppid));
    expect((await lockedError(directory)).message).toContain(`process ${process.ppid}`);
    await writeFile(join(directory, 'LOCK'), holderFile(2_000_000_000, 'elsewhere.example'));
    expect((await lockedError(directory)).message).toContain('host "elsewhere.example"');
    const otherHost = await lockedError(directory);
    expect(otherHost.details).toMatchObject({ reason: 'other-host', hostname: 'elsewhere.example' });
    expect(otherHost.message).toMatch(
      /If no process on "elsewhere.example" uses the store .*delete `.*LOCK`/,
    );
    await writeFile(join(directory, 'LOCK'), '');
    const unreadable = await lockedError(directory);
    expect(unreadable.message).toMatch(/unreadable lock file written moments ago/);
    expect(unreadable.details).toMatchObject({ reason: 'unreadable' });
  });

  it('takes over a lock still unreadable long after it was written, as a writer that died creating it', async () => {
    const directory = await tempDirectory();
    for (const content of ['', '{"pid":', 'garbage\n']) {
      await writeFile(join(directory, 'LOCK'), content);
      const old = new Date(Date.now() - UNREADABLE_LOCK_STALE_MS - 5000);
      await utimes(join(directory, 'LOCK'), old, old);
      const lock = await acquire(directory);
      expect(lock.recoveredStale).toBe(true);
      await lock.release();
    }
  });

  it('does not delete a successor lock when an old holder releases twice', async () => {
    const directory = await tempDirectory();
    const first = await acquire(directory);
    await first.release();
    await acquire(directory);
    await first.release();
    expect(await readdir(directory)).toEqual(['LOCK']);
    await lockedError(directory);
  });

  it('keeps a second process out while a child holds the store, and recovers once the child is killed', async () => {
    const directory = await tempDirectory();
    const child = spawnStoreChild('hold-lock', directory);
    children.push(child);
    await child.waitForLine((line) => line === 'open');
    const error = await lockedError(directory);
    expect(error.message).toContain(`process ${child.pid}`);
    await child.kill();
    const lock = await acquire(directory);
    expect(lock.recoveredStale).toBe(true);
  }, 30_000);
});
