import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { VirtualClock } from '../../src/engine/index.ts';
import { createMessageQueueProcessor } from '../../src/inbox/create-message-queue-processor.ts';
import { InboxMessagingCore, readInbox } from '../../src/inbox/inbox-messaging-core.ts';
import type { Message, MessagingCore } from '../../src/protocol/index.ts';
import { MemoryQueueStore, MessageQueue } from '../../src/queue/index.ts';

const roots: string[] = [];
async function workspace(): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'vitest-stress-factory-'));
  roots.push(root);
  return root;
}
afterEach(async () => {
  await Promise.all(roots.splice(0).map((root) => rm(root, { recursive: true, force: true })));
});

const message = (id: string, recipient = 'Agent-1'): Message => ({
  id,
  content: `hello ${id}`,
  sender: 'SYSTEM',
  senderKind: 'system',
  recipient,
  recipientKind: 'agent',
  type: recipient === 'ALL' ? 'broadcast' : 'system_to_agent',
  priority: 'regular',
  tags: ['system'],
  metadata: {},
  createdAt: 0,
});

async function listTree(root: string): Promise<string[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name).slice(root.length + 1));
}

describe('createMessageQueueProcessor', () => {
  it('delivers through the real InboxMessagingCore when no core is injected (backward compatible)', async () => {
    const root = await workspace();
    const processor = await createMessageQueueProcessor({
      workspaceRoot: root,
      agents: ['Agent-1', 'Agent-2'],
    });
    expect(processor.options.messagingCore).toBeInstanceOf(InboxMessagingCore);
    await processor.submit(message('m-1'));
    await processor.submit(message('m-2', 'ALL'));
    await processor.drain();
    await processor.options.queue.close();
    const inbox = await readInbox(root);
    expect(inbox.map((m) => `${m.id}->${m.recipient}`).sort()).toEqual([
      'm-1->Agent-1',
      'm-2->Agent-1',
      'm-2->Agent-2',
    ]);
  });

  it('writes no inbox file when an injected mock core fails, throws or hangs: there is no fallback path', async () => {
    const root = await workspace();
    const clock = new VirtualClock();
    const calls: string[] = [];
    const failing: MessagingCore = {
      async deliver(m) {
        calls.push(m.id);
        if (m.id === 'm-1') return false;
        if (m.id === 'm-2') throw new Error('boom');
        return new Promise<boolean>(() => {});
      },
    };
    const processor = await createMessageQueueProcessor({
      workspaceRoot: root,
      agents: ['Agent-1'],
      messagingCore: failing,
      clock,
      deliveryTimeoutMs: 1_000,
      queue: await MessageQueue.open({
        store: new MemoryQueueStore(),
        clock,
        retry: { maxAttempts: 2, baseDelayMs: 10 },
      }),
    });
    expect(processor.options.messagingCore).toBe(failing);
    for (const id of ['m-1', 'm-2', 'm-3']) await processor.submit(message(id));
    const drained = processor.drain();
    const result = await clock.runUntil(drained, { maxVirtualMs: 60_000 });
    expect(result.status).toBe('done');
    await processor.options.queue.close();
    expect(calls.sort()).toEqual(['m-1', 'm-1', 'm-2', 'm-2', 'm-3', 'm-3']);
    expect(processor.options.queue.stats().deadLettered).toBe(3);
    expect(await listTree(root)).toEqual([]);
  });
});
