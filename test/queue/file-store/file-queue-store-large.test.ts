import { constants } from 'node:buffer';
import { createReadStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_MAX_CONTENT_LENGTH } from '../../../src/protocol/index.ts';
import { FileQueueStore } from '../../../src/queue/file-store/file-queue-store.ts';
import type { QueueEntry } from '../../../src/queue/queue-entry.ts';
import { makeMessage } from '../fixtures.ts';

const directories: string[] = [];
afterEach(async () => {
  await Promise.all(directories.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

// The default queue capacity: a full queue of the largest messages validation allows.
const CAPACITY = 10_000;
const BATCH = 250;

describe('FileQueueStore with a full queue of the largest messages', () => {
  it('writes its snapshot although it is longer than the longest string V8 can make', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'vitest-stress-large-'));
    directories.push(directory);
    const warnings: string[] = [];
    const store = new FileQueueStore({ directory, onWarning: (warning) => warnings.push(warning) });
    await store.open();
    // One content string shared by every entry: the store, not this test, decides what memory it uses.
    const content = 'x'.repeat(DEFAULT_MAX_CONTENT_LENGTH);
    for (let from = 1; from <= CAPACITY; from += BATCH) {
      const batch = [];
      for (let sequence = from; sequence < from + BATCH; sequence++) {
        const entry: QueueEntry = {
          entryId: `e-${sequence}`,
          sequence,
          message: makeMessage(sequence, { content }),
          status: 'pending',
          attempts: 0,
          deliveredTo: [],
          enqueuedAt: sequence,
          availableAt: sequence,
        };
        batch.push({ op: 'enqueue' as const, entry });
      }
      await store.append(batch);
    }
    // The default compacts every 10,000 records: the snapshot of all 10,000 entries is due now.
    expect(store.stats.compactions).toBe(1);
    expect(store.stats.compactionError).toBeUndefined();
    expect(warnings).toEqual([]);
    await store.close();

    const snapshot = join(directory, 'snapshot.jsonl');
    expect((await stat(snapshot)).size).toBeGreaterThan(constants.MAX_STRING_LENGTH);
    let lines = 0;
    for await (const line of createInterface({ input: createReadStream(snapshot), crlfDelay: Infinity })) {
      if (lines === 0)
        expect(JSON.parse(line.slice(line.indexOf(' ') + 1))).toMatchObject({
          entries: CAPACITY,
          deadLetters: 0,
        });
      lines++;
    }
    expect(lines).toBe(1 + CAPACITY);
  }, 120_000);
});
