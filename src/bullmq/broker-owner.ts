import { existsSync, readlinkSync, realpathSync, renameSync, writeFileSync } from 'node:fs';
import { readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { processExists } from '../io/process-exists.ts';
import { allowIsolationTarget, ISOLATION_TEMP_DIRECTORY, signalTarget } from '../isolation/index.ts';

/** The file in an embedded broker's data directory naming who started it: `<owner pid> <server pid>`. */
export const OWNER_FILE = 'owner';
/** Prefix of the data directories {@link EmbeddedRedis} creates under the isolation temp directory. */
export const BROKER_DIRECTORY_PREFIX = 'redis-';

/** Who started the broker living in a data directory, and its server's pid (0 while none runs). */
export interface BrokerOwner {
  readonly ownerPid: number;
  readonly serverPid: number;
}

/**
 * Records that this process owns the broker in `directory`, whose server runs as `serverPid` (0 while none
 * does). Synchronous and atomic (a temp file renamed), so it follows a spawn with no gap and is never half read.
 */
export function writeBrokerOwner(directory: string, serverPid: number): void {
  const file = join(directory, OWNER_FILE);
  writeFileSync(`${file}.tmp`, `${process.pid} ${serverPid}\n`);
  renameSync(`${file}.tmp`, file);
}

/** The owner recorded in `directory`, or undefined when there is none (or it is not one of ours). */
export async function readBrokerOwner(directory: string): Promise<BrokerOwner | undefined> {
  let text: string;
  try {
    text = await readFile(join(directory, OWNER_FILE), 'utf8');
  } catch {
    return undefined;
  }
  const match = /^(\d+) (\d+)\n$/.exec(text);
  if (match === null) return undefined;
  return { ownerPid: Number(match[1]), serverPid: Number(match[2]) };
}

/**
 * Whether process `pid` is the server of `directory`: `true`, `false` (another program has the pid now, or a
 * zombie that runs nothing), or undefined where the system cannot say (no `/proc`). Redis renames its process
 * (the command line no longer names its config) but works in its data directory (`dir`), so its working
 * directory tells.
 */
function servesDirectory(pid: number, directory: string): boolean | undefined {
  if (!existsSync('/proc/self/cwd')) return undefined;
  try {
    return readlinkSync(`/proc/${pid}/cwd`) === realpathSync.native(directory);
  } catch {
    return false;
  }
}

/** SIGKILLs the server of `directory` and waits up to a second for it to be gone (or a zombie); true when it is. */
async function stopServer(pid: number, directory: string, ownerPid: number): Promise<boolean> {
  // Under the isolation guard a signal to another process is refused unless allowed: this one, only now.
  const withdraw = allowIsolationTarget({
    kind: 'process',
    target: signalTarget(pid, 'SIGKILL') as string,
    reason: `reaping the embedded redis-server of ${directory}, whose owner (pid ${ownerPid}) is gone`,
  });
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    return false;
  } finally {
    withdraw();
  }
  for (let waited = 0; servesDirectory(pid, directory) && waited < 1_000; waited += 20) await sleep(20);
  return !servesDirectory(pid, directory);
}

/**
 * Stops the brokers a dead process left running, and removes their data directories. A test worker ended by a
 * signal it does not handle, or a worker thread terminated, never runs its exit hooks; its `redis-server` then
 * outlives it. Only a directory whose recorded owner no longer exists is touched, and only a process still
 * working in that directory is killed (a pid reused by another program is left alone). Where the
 * system cannot tell what a live pid runs, the directory is left as it is. Returns the directories removed.
 */
export async function reapOrphanedBrokers(root: string = ISOLATION_TEMP_DIRECTORY): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(root);
  } catch {
    return [];
  }
  const reaped: string[] = [];
  for (const name of names) {
    if (!name.startsWith(BROKER_DIRECTORY_PREFIX)) continue;
    const directory = join(root, name);
    const owner = await readBrokerOwner(directory);
    if (owner === undefined || processExists(owner.ownerPid)) continue;
    const { serverPid } = owner;
    if (serverPid > 0 && processExists(serverPid)) {
      const ours = servesDirectory(serverPid, directory);
      if (ours === undefined) continue;
      // A server that cannot be stopped keeps its directory, for a later start to try again.
      if (ours && !(await stopServer(serverPid, directory, owner.ownerPid))) continue;
    }
    await rm(directory, { recursive: true, force: true, maxRetries: 3 });
    reaped.push(directory);
  }
  return reaped;
}
