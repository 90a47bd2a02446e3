import { describe, expect, it } from 'vitest';
import { JournalWriter } from '../../src/queue/journal-writer.ts';
import type { QueueRecord } from '../../src/queue/queue-record.ts';
import type { QueueStore } from '../../src/queue/queue-store.ts';
import { flushMicrotasks } from './manual-clock.ts';

/** A store whose appends settle only when the test says so. */
function manualStore() {
  const appends: { records: readonly QueueRecord[]; settle: (error?: Error) => void }[] = [];
  const store: QueueStore = {
    open: async () => ({ entries: [], deadLetters: [], lastSequence: 0, warnings: [] }),
    close: async () => undefined,
    append: (records) =>
      new Promise<void>((resolve, reject) => {
        appends.push({ records: [...records], settle: (error) => (error ? reject(error) : resolve()) });
      }),
  };
  return { store, appends };
}

const ack = (entryId: string): QueueRecord => ({ op: 'ack', entryId, at: 0 });

describe('JournalWriter', () => {
  it('appends one synchronous burst as one batch, and batches what arrives while an append is in flight', async () => {
    const { store, appends } = manualStore();
    const commits: string[][] = [];
    const writer = new JournalWriter<string>(store, (_records, subjects) => commits.push([...subjects]));
    const first = [writer.write(ack('a'), 'a').done, writer.write(ack('b'), 'b').done];
    await flushMicrotasks();
    expect(appends).toHaveLength(1);
    const later = [writer.write(ack('c'), 'c').done, writer.writeAll([ack('d'), ack('e')], 'de').done];
    await flushMicrotasks();
    expect(appends).toHaveLength(1);
    appends[0]!.settle();
    await Promise.all(first);
    expect(appends.map((append) => append.records.length)).toEqual([2, 3]);
    appends[1]!.settle();
    await Promise.all(later);
    expect(commits).toEqual([
      ['a', 'b'],
      ['c', 'de', 'de'],
    ]);
  });

  it('commits a batch before its callers resume, and fails every record of a failed batch', async () => {
    const { store, appends } = manualStore();
    const seen: unknown[] = [];
    const writer = new JournalWriter<string>(store, (_records, _subjects, error) => seen.push(error ?? 'ok'));
    const batch = writer.write(ack('a'), 'a');
    const commitsSeenOnResume: number[] = [];
    const resumed = batch.done.catch(() => commitsSeenOnResume.push(seen.length));
    await flushMicrotasks();
    appends[0]!.settle(new Error('disk full'));
    await expect(batch.done).rejects.toThrow('disk full');
    await resumed;
    expect(seen).toEqual([new Error('disk full')]);
    expect(commitsSeenOnResume).toEqual([1]);
    const next = writer.write(ack('b'), 'b');
    await flushMicrotasks();
    appends[1]!.settle();
    expect(await next.done).toBe(true);
  });

  it('on close refuses writes and fails the batch not yet handed to the store', async () => {
    const { store, appends } = manualStore();
    const errors: unknown[] = [];
    const writer = new JournalWriter<string>(store, (_r, _s, error) => errors.push(error));
    const pending = writer.write(ack('a'), 'a');
    writer.close();
    await expect(pending.done).rejects.toMatchObject({ code: 'ERR_QUEUE_CLOSED' });
    expect(() => writer.write(ack('b'), 'b')).toThrow(/closed queue/);
    expect(appends).toHaveLength(0);
    expect(errors).toHaveLength(1);
    await writer.settled();
  });

  it('settled() waits for the append in flight and the batch queued behind it', async () => {
    const { store, appends } = manualStore();
    const writer = new JournalWriter<string>(store, () => undefined);
    void writer.write(ack('a'), 'a').done;
    await flushMicrotasks();
    void writer.write(ack('b'), 'b').done;
    let settled = false;
    const waiting = writer.settled().then(() => {
      settled = true;
    });
    appends[0]!.settle();
    await flushMicrotasks();
    expect(settled).toBe(false);
    appends[1]!.settle();
    await waiting;
    expect(settled).toBe(true);
  });
});
