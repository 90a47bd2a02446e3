import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { readBrokerOwner, reapOrphanedBrokers, writeBrokerOwner } from '../../src/bullmq/broker-owner.ts';
import { EmbeddedRedis } from '../../src/bullmq/index.ts';
import { installIsolationGuard } from '../../src/isolation/index.ts';
import { processAlive, processGone } from '../support/process-alive.ts';
import { tempDir } from '../support/temp-dir.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

// Whatever a failing test leaves: processes to kill and directories to remove.
const leftovers: { pids: number[]; directories: string[] } = { pids: [], directories: [] };
afterEach(() => {
  for (const pid of leftovers.pids.splice(0)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {}
  }
  for (const directory of leftovers.directories.splice(0))
    rmSync(directory, { recursive: true, force: true });
});

/** A process that starts an embedded broker, prints its pid and directory, and then waits to be ended. */
async function ownerWithBroker(): Promise<{ owner: ChildProcess; pid: number; directory: string }> {
  const script = [
    "const { EmbeddedRedis } = await import('./src/bullmq/index.ts');",
    "const server = await EmbeddedRedis.start({ persistence: 'snapshot' });",
    'console.log(JSON.stringify({ pid: server.pid, directory: server.directory }));',
    'setInterval(() => {}, 1000);',
  ].join('\n');
  const owner = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  leftovers.pids.push(owner.pid!);
  const exited = once(owner, 'exit').then(([code]) => {
    throw new Error(`the owner process exited (code ${code}) before starting its broker`);
  });
  const [line] = (await Promise.race([once(createInterface({ input: owner.stdout! }), 'line'), exited])) as [
    string,
  ];
  const { pid, directory } = JSON.parse(line) as { pid: number; directory: string };
  leftovers.pids.push(pid);
  leftovers.directories.push(directory);
  return { owner, pid, directory };
}

/** The pid of a process that has exited. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '']);
  await once(child, 'exit');
  return child.pid!;
}

describe('brokers outliving their owner', { timeout: 30_000 }, () => {
  it('are stopped with their directory when the owner is ended by SIGTERM, which still ends it', async () => {
    const { owner, pid, directory } = await ownerWithBroker();
    expect(processAlive(pid)).toBe(true);
    owner.kill('SIGTERM');
    const [code, signal] = await once(owner, 'exit');
    expect({ code, signal }).toEqual({ code: null, signal: 'SIGTERM' });
    expect(existsSync(directory)).toBe(false);
    expect(await processGone(pid)).toBe(true);
  });

  it('are reaped by the next start when the owner was killed outright, under the isolation guard', async () => {
    const { owner, pid, directory } = await ownerWithBroker();
    owner.kill('SIGKILL');
    await once(owner, 'exit');
    // Nothing of the owner ran: the broker is an orphan now.
    expect(processAlive(pid)).toBe(true);
    expect(await readBrokerOwner(directory)).toEqual({ ownerPid: owner.pid, serverPid: pid });
    // A run's target starts its broker under the guard, which refuses signals to other processes unless allowed.
    const guard = await installIsolationGuard({ esmImportHook: false });
    let next: EmbeddedRedis | undefined;
    try {
      next = await EmbeddedRedis.start({ persistence: 'off' });
      expect(guard.violations()).toEqual([]);
      expect(existsSync(directory)).toBe(false);
      expect(await processGone(pid)).toBe(true);
      expect(processAlive(next.pid!)).toBe(true);
    } finally {
      guard.uninstall();
      await next?.stop();
    }
  });

  it('reaps only directories whose owner is gone, and kills only a process working in one', async () => {
    const root = tempDir('vitest-stress-reap-');
    const dead = await deadPid();
    const bystander = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)']);
    leftovers.pids.push(bystander.pid!);
    const make = (name: string, owner?: string): string => {
      const directory = join(root, name);
      mkdirSync(directory);
      if (owner !== undefined) writeFileSync(join(directory, 'owner'), owner);
      return directory;
    };
    const liveOwner = make('redis-live');
    writeBrokerOwner(liveOwner, bystander.pid!);
    const reusedPid = make('redis-reused', `${dead} ${bystander.pid}\n`);
    const noServer = make('redis-no-server', `${dead} 0\n`);
    const deadServer = make('redis-dead-server', `${dead} ${dead}\n`);
    const kept = [
      liveOwner,
      make('redis-unowned'),
      make('redis-garbled', `${dead}\n`),
      make('other-dead-owner', `${dead} 0\n`),
    ];

    const reaped = await reapOrphanedBrokers(root);

    expect(reaped.sort()).toEqual([deadServer, noServer, reusedPid].sort());
    for (const directory of reaped) expect(existsSync(directory)).toBe(false);
    for (const directory of kept) expect(existsSync(directory)).toBe(true);
    // Its pid was recorded as a server's, but it does not work in that directory.
    expect(processAlive(bystander.pid!)).toBe(true);
    expect(await reapOrphanedBrokers(join(root, 'missing'))).toEqual([]);
  });
});
