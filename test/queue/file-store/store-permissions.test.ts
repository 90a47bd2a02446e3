import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { InboxMessagingCore } from '../../../src/inbox/inbox-messaging-core.ts';
import type { Message } from '../../../src/protocol/index.ts';
import { FileQueueStore } from '../../../src/queue/file-store/file-queue-store.ts';

// Real refusals from the kernel, not simulated ones: a read-only mount (EROFS) and a directory this user may not
// write (EACCES). Root ignores permissions, so as root the EACCES case runs in a child process as `nobody`, and
// the EROFS case mounts a read-only tmpfs; where the machine allows neither, the test says so and skips.

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

function tempDirectory(prefix: string): string {
  const directory = mkdtempSync(join(tmpdir(), `vitest-stress-${prefix}-`));
  cleanups.push(() => rmSync(directory, { recursive: true, force: true }));
  return directory;
}

const message: Message = {
  id: 'm-1',
  content: 'hello',
  sender: 'SYSTEM',
  senderKind: 'system',
  recipient: 'Agent-1',
  recipientKind: 'agent',
  type: 'system_to_agent',
  priority: 'regular',
  tags: ['system'],
  metadata: {},
  createdAt: 0,
};

const isRoot = process.getuid?.() === 0;
const NOBODY = 65_534;

describe('the file store and the inbox core on file systems that refuse them', () => {
  it('refuses a read-only file system with ERR_IO naming the path and EROFS', async (ctx) => {
    const base = tempDirectory('erofs');
    const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', 'ro,size=1m', 'tmpfs', base], {
      encoding: 'utf8',
    });
    if (mounted.status !== 0)
      ctx.skip(`a read-only mount is not allowed here: ${mounted.stderr || mounted.error}`);
    cleanups.unshift(() => spawnSync('umount', [base]));

    const directory = join(base, 'store');
    const error = await new FileQueueStore({ directory }).open().catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'ERR_IO', details: { path: directory, errno: 'EROFS' } });
    expect((error as Error).message).toContain(`the file system holding \`${directory}\` is read-only`);

    const core = new InboxMessagingCore({ workspaceRoot: base });
    const inbox = join(base, 'agent_workspaces', 'Agent-1', 'inbox');
    const refused = await core.deliver(message, 'Agent-1', { attempt: 1 }).catch((e: unknown) => e);
    expect(refused).toMatchObject({ code: 'ERR_IO', details: { path: inbox, errno: 'EROFS' } });
  });

  it('refuses a directory this user may not write with ERR_IO naming the path and EACCES', async (ctx) => {
    const base = tempDirectory('eacces');
    const locked = join(base, 'locked');
    mkdirSync(locked);
    chmodSync(locked, 0o555);
    if (!isRoot) {
      const directory = join(locked, 'store');
      const error = await new FileQueueStore({ directory }).open().catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'ERR_IO', details: { path: directory, errno: 'EACCES' } });
      const core = new InboxMessagingCore({ workspaceRoot: locked });
      const refused = await core.deliver(message, 'Agent-1', { attempt: 1 }).catch((e: unknown) => e);
      expect(refused).toMatchObject({ code: 'ERR_IO', details: { errno: 'EACCES' } });
      return;
    }
    // As root: the same calls in a child process running as nobody, which prints what each one threw.
    chmodSync(base, 0o755);
    // The child's temp files (tsx's cache) stay inside this test's folder.
    const childTemp = join(base, 'tmp');
    mkdirSync(childTemp);
    chmodSync(childTemp, 0o777);
    const source = (file: string) => pathToFileURL(join(import.meta.dirname, '../../../src', file)).href;
    const script = `
      const { FileQueueStore } = await import(${JSON.stringify(source('queue/file-store/file-queue-store.ts'))});
      const { InboxMessagingCore } = await import(${JSON.stringify(source('inbox/inbox-messaging-core.ts'))});
      console.log('LOADED');
      const store = await new FileQueueStore({ directory: ${JSON.stringify(join(locked, 'store'))} }).open().catch((e) => e);
      console.log(JSON.stringify({ code: store?.code, details: store?.details, message: store?.message }));
      const core = new InboxMessagingCore({ workspaceRoot: ${JSON.stringify(locked)} });
      const inbox = await core.deliver(${JSON.stringify(message)}, 'Agent-1', { attempt: 1 }).catch((e) => e);
      console.log(JSON.stringify({ code: inbox?.code, details: inbox?.details }));
    `;
    const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      uid: NOBODY,
      gid: NOBODY,
      cwd: join(import.meta.dirname, '../../..'),
      encoding: 'utf8',
      env: { ...process.env, TMPDIR: childTemp },
    });
    // Spawning fails outright when nobody may not run this Node (one installed under /root, say).
    const lines = (child.stdout ?? '').trim().split('\n');
    if (lines[0] !== 'LOADED')
      ctx.skip(`cannot run the store as nobody here: ${child.error?.message ?? child.stderr.slice(0, 300)}`);
    const [store, inbox] = lines.slice(1).map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(store, child.stderr).toMatchObject({
      code: 'ERR_IO',
      details: { path: join(locked, 'store'), errno: 'EACCES' },
    });
    expect(store?.message).toMatch(/permission denied on/);
    expect(inbox, child.stderr).toMatchObject({
      code: 'ERR_IO',
      details: { path: join(locked, 'agent_workspaces', 'Agent-1', 'inbox'), errno: 'EACCES' },
    });
  });
});
