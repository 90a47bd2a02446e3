import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { inboxFileName, inboxTimestamp } from '../../src/inbox/inbox-file.ts';
import { InboxMessagingCore, readInbox } from '../../src/inbox/inbox-messaging-core.ts';
import { type Message, StressError } from '../../src/protocol/index.ts';

const directories: string[] = [];

async function tempDirectory(): Promise<string> {
  const directory = await mkdtemp(join(tmpdir(), 'vitest-stress-inbox-'));
  directories.push(directory);
  return directory;
}

afterEach(async () => {
  await Promise.all(directories.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

/** Every file under `directory`, as paths relative to it. */
async function filesUnder(directory: string): Promise<string[]> {
  const entries = await readdir(directory, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => relative(directory, join(entry.parentPath, entry.name)))
    .sort();
}

const AT = Date.UTC(2025, 0, 28, 14, 30, 0, 123);
const clock = { now: () => AT };

const message: Message = {
  id: 'm-1',
  content: 'Test message 1\n\n---\nstill content',
  sender: 'SYSTEM',
  senderKind: 'system',
  recipient: 'Agent-1',
  recipientKind: 'agent',
  type: 'system_to_agent',
  priority: 'urgent',
  tags: ['system', 'coordination'],
  metadata: {},
  createdAt: 0,
};

describe('InboxMessagingCore', () => {
  it('writes the exact Markdown file of the original inbox fallback, named by timestamp and id', async () => {
    const root = await tempDirectory();
    const core = new InboxMessagingCore({ workspaceRoot: root, clock });
    await expect(core.deliver(message, 'Agent-1', { attempt: 1 })).resolves.toBe(true);
    expect(await filesUnder(root)).toEqual([
      join('agent_workspaces', 'Agent-1', 'inbox', 'INBOX_MESSAGE_20250128_143000_123_m-1.md'),
    ]);
    const text = await readFile(
      join(root, 'agent_workspaces/Agent-1/inbox/INBOX_MESSAGE_20250128_143000_123_m-1.md'),
      'utf8',
    );
    expect(text).toBe(
      [
        '# 🚨 INBOX MESSAGE - SYSTEM_TO_AGENT',
        '',
        '**From**: SYSTEM',
        '**To**: Agent-1',
        '**Priority**: urgent',
        '**Message Type**: system_to_agent',
        '**Tags**: system, coordination',
        '**Timestamp**: 2025-01-28T14:30:00.123Z',
        '**Message Id**: "m-1"',
        '',
        '---',
        '',
        'Test message 1',
        '',
        '---',
        'still content',
        '',
        '---',
        '',
      ].join('\n'),
    );
  });

  it.each(['../x', 'a/b', '..', '', 'ALL', 'a\\b', '/etc'])(
    'refuses recipient %j and writes nothing',
    async (recipient) => {
      const parent = await tempDirectory();
      const root = join(parent, 'root');
      await mkdir(root);
      const core = new InboxMessagingCore({ workspaceRoot: root, clock });
      const error = await core.deliver(message, recipient, { attempt: 1 }).catch((e: unknown) => e);
      expect(StressError.is(error, 'ERR_UNSAFE_AGENT_ID')).toBe(true);
      expect(await readdir(parent)).toEqual(['root']);
      expect(await readdir(root)).toEqual([]);
    },
  );

  it('refuses an agent workspace that is a symlink out of the root', async () => {
    const parent = await tempDirectory();
    const root = join(parent, 'root');
    const outside = join(parent, 'outside');
    await mkdir(join(root, 'agent_workspaces'), { recursive: true });
    await mkdir(outside);
    await symlink(outside, join(root, 'agent_workspaces', 'Agent-6'), 'dir');
    const core = new InboxMessagingCore({ workspaceRoot: root, clock });
    const error = await core.deliver(message, 'Agent-6', { attempt: 1 }).catch((e: unknown) => e);
    expect(StressError.is(error, 'ERR_UNSAFE_AGENT_ID')).toBe(true);
    expect(await filesUnder(outside)).toEqual([]);
  });

  it('refuses with a coded error when the inbox directory cannot be created, naming it and why', async () => {
    const root = await tempDirectory();
    await mkdir(join(root, 'agent_workspaces'), { recursive: true });
    // The workspace is a file: the inbox under it cannot be made (ENOTDIR).
    await writeFile(join(root, 'agent_workspaces', 'Agent-7'), 'not a directory');
    const core = new InboxMessagingCore({ workspaceRoot: root, clock });
    const error = await core.deliver(message, 'Agent-7', { attempt: 1 }).catch((e: unknown) => e);
    const inbox = join(root, 'agent_workspaces', 'Agent-7', 'inbox');
    expect(error).toMatchObject({ code: 'ERR_IO', details: { path: inbox, errno: 'ENOTDIR' } });
    expect((error as Error).message).toContain(
      `Expected the inbox directory \`${inbox}\` to exist or be created`,
    );
    expect((error as Error).message).toMatch(/is a file where a directory belongs/);
  });

  it('removes the temp files of writers killed mid-write on the first delivery to an inbox, not live ones', async () => {
    const root = await tempDirectory();
    const inbox = join(root, 'agent_workspaces', 'Agent-8', 'inbox');
    await mkdir(inbox, { recursive: true });
    // A process that has exited: its pid is (almost surely) free, as a killed writer's would be.
    const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
    const deadPid = Number(child.stdout.toString());
    const dead = `.INBOX_MESSAGE_x.md.${deadPid}.0123456789ab.tmp`;
    const live = `.INBOX_MESSAGE_y.md.${process.pid}.0123456789ab.tmp`;
    for (const name of [dead, live, 'notes.tmp']) await writeFile(join(inbox, name), 'partial');
    const core = new InboxMessagingCore({ workspaceRoot: root, clock });
    await core.deliver(message, 'Agent-8', { attempt: 1 });
    const names = await readdir(inbox);
    expect(names).not.toContain(dead);
    expect(names).toContain(live);
    expect(names).toContain('notes.tmp');
    expect(names.filter((n) => n.endsWith('.md'))).toHaveLength(1);
  });

  it('does not write when the attempt is already aborted', async () => {
    const root = await tempDirectory();
    const controller = new AbortController();
    controller.abort(new Error('timed out'));
    const core = new InboxMessagingCore({ workspaceRoot: root, clock });
    await expect(core.deliver(message, 'Agent-1', { attempt: 1, signal: controller.signal })).rejects.toThrow(
      'timed out',
    );
    expect(await filesUnder(root)).toEqual([]);
  });

  it('reads back exactly the delivered messages, whatever their ids and content', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(
          fc.record({
            id: fc.string({ minLength: 1, maxLength: 30 }),
            content: fc.string({ unit: 'grapheme', minLength: 1 }).filter((s) => s.trim() !== ''),
            recipient: fc.constantFrom('Agent-1', 'Agent-2', 'Captain.4'),
            tags: fc.subarray(['captain', 'onboarding', 'wrapup', 'coordination', 'system'] as const),
          }),
          { selector: (m) => m.id, maxLength: 8 },
        ),
        async (deliveries) => {
          const root = await tempDirectory();
          let now = AT;
          const core = new InboxMessagingCore({ workspaceRoot: root, clock: { now: () => now++ } });
          for (const d of deliveries) await core.deliver({ ...message, ...d }, d.recipient, { attempt: 1 });
          const inbox = await readInbox(root);
          const key = (m: { id: string; recipient: string }) => `${m.recipient} ${m.id}`;
          expect(inbox.map(key).sort()).toEqual(deliveries.map(key).sort());
          for (const d of deliveries) {
            const read = inbox.find((m) => m.id === d.id)!;
            expect(read).toMatchObject({
              content: d.content,
              tags: d.tags,
              sender: 'SYSTEM',
              priority: 'urgent',
            });
          }
        },
      ),
      { numRuns: 30 },
    );
  });

  it('reports an inbox file it cannot parse, naming it', async () => {
    const root = await tempDirectory();
    const inbox = join(root, 'agent_workspaces', 'Agent-1', 'inbox');
    await mkdir(inbox, { recursive: true });
    await writeFile(join(inbox, 'INBOX_MESSAGE_x.md'), '# hello\n');
    await expect(readInbox(root)).rejects.toThrow(/INBOX_MESSAGE_x\.md` to be an inbox message file/);
    await expect(readInbox(join(root, 'none'))).resolves.toEqual([]);
  });

  it('names files so that distinct ids never collide', () => {
    expect(inboxTimestamp(AT)).toBe('20250128_143000_123');
    expect(inboxFileName(AT, 'a/b')).not.toBe(inboxFileName(AT, 'a_b'));
    expect(inboxFileName(AT, 'a/b')).toMatch(/^INBOX_MESSAGE_20250128_143000_123_a_b-[0-9a-f]{8}\.md$/);
    expect(() => new InboxMessagingCore({ workspaceRoot: '' })).toThrow(/`workspaceRoot`/);
  });
});
