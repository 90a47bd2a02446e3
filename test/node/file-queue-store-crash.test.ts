import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type StoreChild, spawnStoreChild } from '../../fixtures/store-crash/spawn-child.ts';
import { FileQueueStore } from '../../src/node/file-queue-store.ts';

const directories: string[] = [];
const children: StoreChild[] = [];

afterEach(async () => {
  await Promise.all(children.splice(0).map((child) => child.kill()));
  await Promise.all(directories.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

interface Acknowledged {
  readonly enqueued: Set<number>;
  readonly acked: Set<number>;
}

/** Runs the appending child until it has acknowledged `until` more enqueues, then SIGKILLs it mid-run. */
async function runAndKill(directory: string, until: number, into: Acknowledged): Promise<string> {
  const child = spawnStoreChild('append-forever', directory);
  children.push(child);
  const opened = await child.waitForLine((line) => line.startsWith('open '));
  let count = 0;
  await child.waitForLine((line) => line.startsWith('E ') && ++count >= until);
  await child.kill();
  for (const line of child.lines) {
    const [kind, sequence] = line.split(' ');
    if (kind === 'E') into.enqueued.add(Number(sequence));
    if (kind === 'A') into.acked.add(Number(sequence));
  }
  return opened;
}

describe('FileQueueStore crash safety', () => {
  it('loses no acknowledged record when the writing process is SIGKILLed mid-run, twice', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'vitest-stress-crash-'));
    directories.push(directory);
    const acknowledged: Acknowledged = { enqueued: new Set(), acked: new Set() };
    expect(await runAndKill(directory, 1500, acknowledged)).toBe('open 0 0');
    // The second child recovers after the first crash (stale lock, maybe a torn tail) and crashes in turn.
    const reopened = await runAndKill(directory, 1500, acknowledged);
    expect(reopened).toMatch(/^open \d+ [23]$/);

    const store = new FileQueueStore({ directory });
    const recovered = await store.open();
    await store.close();
    const live = new Set(recovered.entries.map((entry) => entry.sequence));
    const enqueued = [...acknowledged.enqueued];
    expect(enqueued.length).toBeGreaterThanOrEqual(3000);
    // The child acks only even sequences: an acknowledged odd enqueue must be live, an acknowledged ack must
    // have removed its entry, and only the acks in flight at a kill (8 producers, two kills) may go either way.
    expect(enqueued.filter((s) => s % 2 === 1 && !live.has(s))).toEqual([]);
    expect([...acknowledged.acked].filter((s) => live.has(s))).toEqual([]);
    const ackInFlight = enqueued.filter((s) => s % 2 === 0 && !acknowledged.acked.has(s));
    expect(ackInFlight.length).toBeLessThanOrEqual(16);
    expect(recovered.lastSequence).toBeGreaterThanOrEqual(Math.max(...enqueued));
    expect([...live].every((s) => s <= recovered.lastSequence)).toBe(true);
    expect(recovered.warnings.filter((w) => w.includes('torn')).length).toBeLessThanOrEqual(1);
    expect(recovered.entries.every((entry) => entry.status === 'pending')).toBe(true);
  }, 60_000);
});
