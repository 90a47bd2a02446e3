import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type StoreChild, spawnStoreChild } from '../../../fixtures/store-crash/spawn-child.ts';
import { SeededRandom } from '../../../src/engine/workload/seeded-random.ts';
import { FileQueueStore } from '../../../src/queue/file-store/file-queue-store.ts';
import { MessageQueue } from '../../../src/queue/index.ts';
import { ManualClock } from '../manual-clock.ts';

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

  // Each child is killed at a seeded random point: while recovering what the last one left (right after it
  // says `opening`), or after a random number of acknowledged enqueues. The next child must open whatever the
  // kill left, and nothing acknowledged may be lost. VITEST_STRESS_CRASH_ITERATIONS raises the count.
  const ITERATIONS = Number(process.env.VITEST_STRESS_CRASH_ITERATIONS ?? 4);
  const SEED = Number(process.env.VITEST_STRESS_CRASH_SEED ?? 13);

  async function killAtRandom(
    script: 'append-forever' | 'queue-forever',
    directory: string,
    random: SeededRandom,
    run: number,
  ): Promise<{ lines: string[]; during: 'open' | 'work' }> {
    const child = spawnStoreChild(script, directory, String(run));
    children.push(child);
    await child.waitForLine((line) => line === 'opening');
    let during: 'open' | 'work' = 'open';
    // Every third run (and a random fifth of the others) is killed while it recovers.
    if (!(run % 3 === 1 || random.chance(0.2))) {
      during = 'work';
      await child.waitForLine((line) => line.startsWith('open '));
      const until = random.nextInt(1, 400);
      let count = 0;
      await child.waitForLine((line) => line.startsWith('E ') && ++count >= until);
    }
    await child.kill();
    return { lines: [...child.lines], during };
  }

  it(`MessageQueue over the store: ${ITERATIONS} SIGKILLs at random points, opening included, lose nothing acknowledged (seed ${SEED})`, async () => {
    const directory = await mkdtemp(join(tmpdir(), 'vitest-stress-crash-'));
    directories.push(directory);
    const random = new SeededRandom(SEED);
    const enqueued = new Set<string>();
    const dequeued = new Set<string>();
    const acked = new Set<string>();
    const during: string[] = [];
    for (let run = 0; run < ITERATIONS; run++) {
      const killed = await killAtRandom('queue-forever', directory, random.fork(`run ${run}`), run);
      during.push(killed.during);
      for (const line of killed.lines) {
        const [kind, id] = line.split(' ') as [string, string];
        if (kind === 'E') enqueued.add(id);
        if (kind === 'D') dequeued.add(id);
        if (kind === 'A') acked.add(id);
      }
    }
    // The queue opens on what the last kill left; the store then shows every live entry, available now or not.
    const queue = await MessageQueue.open({
      store: new FileQueueStore({ directory }),
      clock: new ManualClock(),
    });
    const pending = queue.stats().pending;
    await queue.close();
    const store = new FileQueueStore({ directory });
    const live = new Set((await store.open()).entries.map((entry) => entry.message.id));
    await store.close();
    expect(live.size).toBe(pending);
    expect(enqueued.size).toBeGreaterThan(0);
    // Acked: gone. Enqueued and never dequeued: still there. Dequeued, ack not acknowledged: either.
    expect([...acked].filter((id) => live.has(id))).toEqual([]);
    expect([...enqueued].filter((id) => !dequeued.has(id) && !live.has(id))).toEqual([]);
    // Enqueues in flight at a kill (8 producers) may have reached the journal before their `E` line was printed.
    expect([...live].filter((id) => !enqueued.has(id)).length).toBeLessThanOrEqual(8 * ITERATIONS);
    expect(during).toContain('open');
  }, 180_000);

  it(`raw store: ${ITERATIONS} SIGKILLs at random points, opening included, lose nothing acknowledged (seed ${SEED})`, async () => {
    const directory = await mkdtemp(join(tmpdir(), 'vitest-stress-crash-'));
    directories.push(directory);
    const random = new SeededRandom(SEED + 1);
    const acknowledged: Acknowledged = { enqueued: new Set(), acked: new Set() };
    for (let run = 0; run < ITERATIONS; run++) {
      const { lines } = await killAtRandom('append-forever', directory, random.fork(`run ${run}`), run);
      for (const line of lines) {
        const [kind, sequence] = line.split(' ');
        if (kind === 'E') acknowledged.enqueued.add(Number(sequence));
        if (kind === 'A') acknowledged.acked.add(Number(sequence));
      }
    }
    const store = new FileQueueStore({ directory });
    const recovered = await store.open();
    await store.close();
    const live = new Set(recovered.entries.map((entry) => entry.sequence));
    expect([...acknowledged.enqueued].filter((s) => s % 2 === 1 && !live.has(s))).toEqual([]);
    expect([...acknowledged.acked].filter((s) => live.has(s))).toEqual([]);
  }, 180_000);
});
