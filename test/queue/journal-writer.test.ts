import { createHook } from 'node:async_hooks';
import { describe, expect, it } from 'vitest';
import { JournalWriter } from '../../src/queue/journal-writer.ts';
import type { QueueRecord } from '../../src/queue/queue-record.ts';
import { DURABLE_ON_RETURN, type QueueStore } from '../../src/queue/queue-store.ts';
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

/** A store that applies at once and answers `answer()`: DURABLE_ON_RETURN, another resolved promise, or a rejection. */
function immediateStore(answer: () => Promise<void>) {
  const appends: (readonly QueueRecord[])[] = [];
  const store: QueueStore = {
    open: async () => ({ entries: [], deadLetters: [], lastSequence: 0, warnings: [] }),
    close: async () => undefined,
    append: (records) => {
      appends.push([...records]);
      return answer();
    },
  };
  return { store, appends };
}

/** Promises created while `run` runs and its microtasks drain. */
async function promisesMadeBy(run: () => Promise<void>): Promise<number> {
  let made = 0;
  const hook = createHook({
    init(_id, type) {
      if (type === 'PROMISE') made++;
    },
  });
  hook.enable();
  try {
    await run();
    await flushMicrotasks();
  } finally {
    hook.disable();
  }
  return made;
}

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

  it('settles a batch the store made durable on return within its flush: grouped, committed first, no reaction', async () => {
    const { store, appends } = immediateStore(() => DURABLE_ON_RETURN);
    const commits: string[][] = [];
    const writer = new JournalWriter<string>(store, (_records, subjects) => commits.push([...subjects]));
    const order: string[] = [];
    const first = [writer.write(ack('a'), 'a').done, writer.write(ack('b'), 'b').done];
    void first[0]!.then(() => order.push(`resumed after ${commits.length} commit(s)`));
    await flushMicrotasks();
    expect(appends.map((records) => records.length)).toEqual([1 + 1]);
    expect(await Promise.all(first)).toEqual([true, true]);
    expect(order).toEqual(['resumed after 1 commit(s)']);
    await writer.write(ack('c'), 'c').done;
    expect(commits).toEqual([['a', 'b'], ['c']]);
    await writer.settled();

    // The same batches against a store that answers with another shared resolved promise: one reaction more each.
    const resolved = Promise.resolve();
    const batches = async (answer: () => Promise<void>): Promise<number> => {
      const other = new JournalWriter<string>(immediateStore(answer).store, () => undefined);
      return promisesMadeBy(async () => {
        for (let i = 0; i < 10; i++) await other.write(ack(`e${i}`), 'e').done;
      });
    };
    expect((await batches(() => resolved)) - (await batches(() => DURABLE_ON_RETURN))).toBe(10);
  });

  it('fails a batch whose append rejects at once, as any failed append', async () => {
    let fail = true;
    const { store } = immediateStore(() =>
      fail ? Promise.reject(new Error('disk full')) : DURABLE_ON_RETURN,
    );
    const seen: unknown[] = [];
    const writer = new JournalWriter<string>(store, (_records, _subjects, error) => seen.push(error ?? 'ok'));
    await expect(writer.write(ack('a'), 'a').done).rejects.toThrow('disk full');
    fail = false;
    expect(await writer.write(ack('b'), 'b').done).toBe(true);
    expect(seen).toEqual([new Error('disk full'), 'ok']);
  });
});
