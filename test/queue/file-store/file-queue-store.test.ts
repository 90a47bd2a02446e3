import {
  type FileHandle,
  mkdir,
  mkdtemp,
  open,
  readdir,
  readFile,
  rm,
  stat,
  writeFile,
} from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  applyToModel,
  emptyModel,
  makeEntry,
  modelView,
  type QueueModel,
} from '../../../fixtures/store-crash/queue-records.ts';
import { StressError } from '../../../src/protocol/index.ts';
import { FileQueueStore } from '../../../src/queue/file-store/file-queue-store.ts';
import type { FileQueueStoreOptions } from '../../../src/queue/file-store/file-queue-store-options.ts';
import { MessageQueue } from '../../../src/queue/index.ts';
import type { QueueRecord } from '../../../src/queue/queue-record.ts';
import { makeMessage } from '../fixtures.ts';
import { ManualClock } from '../manual-clock.ts';
import { copyStore } from './store-image.ts';

const directories: string[] = [];
const stores: FileQueueStore[] = [];

async function tempDirectory(): Promise<string> {
  const directory = await mkdtemp(join(tmpdir(), 'vitest-stress-store-'));
  directories.push(directory);
  return directory;
}

function storeOn(directory: string, options: Omit<FileQueueStoreOptions, 'directory'> = {}): FileQueueStore {
  const store = new FileQueueStore({ directory, ...options });
  stores.push(store);
  return store;
}

/** The prototype every `fs.promises` FileHandle shares, to spy on the real write and datasync calls. */
async function fileHandlePrototype(): Promise<FileHandle> {
  const directory = await tempDirectory();
  const handle = await open(join(directory, 'probe'), 'w');
  await handle.close();
  return Object.getPrototypeOf(handle) as FileHandle;
}

/** Counts datasync calls that completed, independently of the store's own counters. */
async function countCompletedSyncs(): Promise<{ completed: number }> {
  const proto = await fileHandlePrototype();
  const original = proto.datasync;
  const counter = { completed: 0 };
  vi.spyOn(proto, 'datasync').mockImplementation(async function (this: FileHandle) {
    await original.call(this);
    counter.completed++;
  });
  return counter;
}

afterEach(async () => {
  vi.restoreAllMocks();
  await Promise.all(stores.splice(0).map((store) => store.close().catch(() => undefined)));
  await Promise.all(directories.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

async function rejection(promise: Promise<unknown>): Promise<StressError> {
  try {
    await promise;
  } catch (error) {
    if (StressError.is(error)) return error;
    throw error;
  }
  throw new Error('expected a rejection');
}

type Op =
  | { readonly kind: 'enqueue'; readonly content: string }
  | {
      readonly kind: 'progress' | 'retry' | 'ack' | 'dead';
      readonly pick: number;
      readonly recipient: string;
      readonly n: number;
    }
  | { readonly kind: 'reopen' };

const contentArb = fc.oneof(
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: 40 }).filter((s) => s.trim().length > 0),
  fc.constantFrom('line 1\nline 2', '---', 'ü ✓ 🚀 \u2028', '{"op":"ack"}\n'),
);
const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('enqueue' as const), content: contentArb }) },
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constantFrom('progress' as const, 'retry' as const, 'ack' as const, 'dead' as const),
      pick: fc.nat(),
      recipient: fc.constantFrom('Agent-1', 'Agent-2', 'Agent-3'),
      n: fc.nat({ max: 10_000 }),
    }),
  },
  { weight: 1, arbitrary: fc.constant({ kind: 'reopen' as const }) },
);

/** Turns an op into a record that fits the model (ops on an empty queue enqueue instead). */
function recordFor(op: Exclude<Op, { kind: 'reopen' }>, model: QueueModel): QueueRecord {
  const live = [...model.live.keys()];
  if (op.kind === 'enqueue' || live.length === 0) {
    const content = op.kind === 'enqueue' ? op.content : 'filler';
    return { op: 'enqueue', entry: makeEntry(model.lastSequence + 1, content) };
  }
  const entryId = live[op.pick % live.length]!;
  switch (op.kind) {
    case 'progress':
      return { op: 'progress', entryId, recipient: op.recipient };
    case 'retry':
      return { op: 'retry', entryId, attempts: op.n % 7, availableAt: op.n, lastError: `boom ${op.n}` };
    case 'ack':
      return { op: 'ack', entryId, at: op.n };
    case 'dead':
      return { op: 'dead', entryId, attempts: op.n % 7, lastError: `gave up ${op.n}`, at: op.n };
  }
}

describe('FileQueueStore: journal round trip', () => {
  it('recovers exactly the state of applying every acknowledged record to a model', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(opArb, { minLength: 1, maxLength: 5 }), { minLength: 1, maxLength: 20 }),
        fc.boolean(),
        fc.constantFrom(3, 7, 50, Number.POSITIVE_INFINITY),
        async (appends, concurrent, compactEvery) => {
          const directory = await tempDirectory();
          const model = emptyModel();
          let store = storeOn(directory, { compactEvery });
          expect(await store.open()).toEqual({ ...modelView(model), warnings: [] });
          let inFlight: Promise<void>[] = [];
          for (const ops of appends) {
            const records: QueueRecord[] = [];
            for (const op of ops) {
              if (op.kind === 'reopen') continue;
              const record = recordFor(op, model);
              applyToModel(model, record);
              records.push(record);
            }
            const append = store.append(records);
            if (concurrent) inFlight.push(append);
            else await append;
            if (ops.some((op) => op.kind === 'reopen')) {
              await Promise.all(inFlight);
              inFlight = [];
              await store.close();
              store = storeOn(directory, { compactEvery });
              expect(await store.open()).toEqual({ ...modelView(model), warnings: [] });
            }
          }
          await Promise.all(inFlight);
          await store.close();
          const reopened = storeOn(directory, { compactEvery });
          expect(await reopened.open()).toEqual({ ...modelView(model), warnings: [] });
          await reopened.close();
          await rm(directory, { recursive: true, force: true });
        },
      ),
      { numRuns: 40 },
    );
    // Each compaction costs five fsyncs (new journal, directory, seal, snapshot, directory) and compactEvery 3
    // compacts often: a few seconds on a fast disk, more on a busy machine.
  }, 30_000);

  it('returns entries that were processing as pending, without their lease', async () => {
    const directory = await tempDirectory();
    const store = storeOn(directory);
    await store.open();
    const entry = { ...makeEntry(1), status: 'processing' as const, leaseUntil: 99 };
    await store.append([{ op: 'enqueue', entry }]);
    await store.close();
    const { entries } = await storeOn(directory).open();
    expect(entries).toEqual([makeEntry(1)]);
    expect(entries[0]).not.toHaveProperty('leaseUntil');
  });

  it('keeps lastSequence after every entry is acked and compacted away', async () => {
    const directory = await tempDirectory();
    const store = storeOn(directory, { compactEvery: 2 });
    await store.open();
    await store.append([{ op: 'enqueue', entry: makeEntry(41) }]);
    await store.append([{ op: 'ack', entryId: 'e-41', at: 1 }]);
    await store.close();
    expect(await storeOn(directory).open()).toEqual({
      entries: [],
      deadLetters: [],
      lastSequence: 41,
      warnings: [],
    });
  });
});

describe('FileQueueStore: group commit', () => {
  it('writes concurrent appends with far fewer fsyncs, each resolving only after its fsync', async () => {
    const directory = await tempDirectory();
    const store = storeOn(directory, { compactEvery: Number.POSITIVE_INFINITY });
    await store.open();
    const syncs = await countCompletedSyncs();
    const before = { ...store.stats };
    let sequence = 0;
    const producer = async (): Promise<void> => {
      for (let i = 0; i < 25; i++) {
        const syncsAtSubmit = syncs.completed;
        await store.append([{ op: 'enqueue', entry: makeEntry(++sequence) }]);
        expect(syncs.completed).toBeGreaterThan(syncsAtSubmit);
      }
    };
    await Promise.all(Array.from({ length: 16 }, producer));
    expect(store.stats.appends).toBe(400);
    expect(syncs.completed).toBeLessThanOrEqual(400 / 8);
    expect(store.stats.syncs - before.syncs).toBe(syncs.completed);
    expect(store.stats.writes - before.writes).toBeLessThanOrEqual(400 / 8);
    const journal = await readFile(join(directory, 'journal-0000000001.jsonl'), 'utf8');
    expect(journal.trimEnd().split('\n')).toHaveLength(1 + 400);
  });

  it('commits 200 appends made in one turn with a single fsync', async () => {
    const directory = await tempDirectory();
    const store = storeOn(directory);
    await store.open();
    const syncs = await countCompletedSyncs();
    await Promise.all(
      Array.from({ length: 200 }, (_, i) => store.append([{ op: 'enqueue', entry: makeEntry(i + 1) }])),
    );
    expect(syncs.completed).toBe(1);
  });

  it('fsyncs every append alone when maxBatch is 1', async () => {
    const directory = await tempDirectory();
    const store = storeOn(directory, { maxBatch: 1 });
    await store.open();
    const syncs = await countCompletedSyncs();
    await Promise.all(
      Array.from({ length: 20 }, (_, i) => store.append([{ op: 'enqueue', entry: makeEntry(i + 1) }])),
    );
    expect(syncs.completed).toBe(20);
  });
});

describe('FileQueueStore: nothing invalid is ever written', () => {
  const entry = makeEntry(2);
  const withMessage = (patch: object): QueueRecord =>
    ({ op: 'enqueue', entry: { ...entry, message: { ...entry.message, ...patch } } }) as never;
  it.each([
    ['entry.message.priority', withMessage({ priority: 'high' }), /`priority` to be one of/],
    ['entry.message.recipient', withMessage({ recipient: '../x' }), /`recipient` to be a safe agent id/],
    ['entry.message.createdAt', withMessage({ createdAt: Number.NaN }), /`NaN` \(number\)/],
    ['entry.message.content', withMessage({ content: 42 }), /`content` to be a non-empty string/],
    ['entry.message', { op: 'enqueue', entry: { ...entry, message: null } }, /got `null`/],
    ['entry.enqueuedAt', { op: 'enqueue', entry: { ...entry, enqueuedAt: Number.NaN } }, /got `NaN`/],
    ['entry.status', { op: 'enqueue', entry: { ...entry, status: 'lost' } }, /entry status/],
    ['at', { op: 'ack', entryId: 'e-1', at: Number.POSITIVE_INFINITY }, /`at` to be a finite number/],
    ['lastError', { op: 'retry', entryId: 'e-1', attempts: 1, availableAt: 5, lastError: 7 }, /`lastError`/],
    ['op', { op: 'requeue', entryId: 'e-1' }, /`op` to be one of/],
    ['record', null, /`record` to be an object/],
    ['record', withMessage({ metadata: { n: 1n } }), /cannot be written as JSON/],
    [
      'entry.message.type',
      withMessage({ toJSON: () => ({ ...entry.message, type: 'other' }) }),
      /`type` to be one of.* once written as JSON/,
    ],
  ])(
    'refuses a bad %s with ERR_INVALID_RECORD, writes nothing of the append, and reopens',
    async (field, bad, reason) => {
      const directory = await tempDirectory();
      const store = storeOn(directory, { compactEvery: Number.POSITIVE_INFINITY });
      await store.open();
      await store.append([{ op: 'enqueue', entry: makeEntry(1) }]);
      const journal = join(directory, 'journal-0000000001.jsonl');
      const before = await readFile(journal, 'utf8');
      const error = await rejection(
        store.append([{ op: 'enqueue', entry: makeEntry(3) }, bad as QueueRecord]),
      );
      expect(error.code).toBe('ERR_INVALID_RECORD');
      expect(error.details).toEqual({ index: 1, field });
      expect(error.message).toMatch(reason);
      expect(error.message).toMatch(/Nothing of this append was written\.$/);
      expect(await readFile(journal, 'utf8')).toBe(before);
      await store.close();
      expect((await storeOn(directory).open()).entries).toEqual([makeEntry(1)]);
    },
  );

  it('keeps a queue over the file store reopenable whatever it is asked to enqueue', async () => {
    const directory = await tempDirectory();
    const clock = new ManualClock();
    const queue = await MessageQueue.open({ store: storeOn(directory), clock, maxContentLength: 100 });
    await queue.enqueue(makeMessage('ok-1'));
    const journal = join(directory, 'journal-0000000001.jsonl');
    const before = await readFile(journal);
    // Every kind of invalid message the issue counted (15), plus oversize content and no message at all.
    const bad: [string, object | null][] = [
      ['priority', { priority: 'high' }],
      ['recipient', { recipient: '' }],
      ['recipient', { recipient: '../x' }],
      ['sender', { sender: 'a/b' }],
      ['type', { type: 'direct' }],
      ['createdAt', { createdAt: Number.NaN }],
      ['content', { content: 42 }],
      ['content', { content: '  ' }],
      ['id', { id: '' }],
      ['senderKind', { senderKind: 'robot' }],
      ['recipientKind', { recipientKind: undefined }],
      ['tags', { tags: 'system' }],
      ['tags[0]', { tags: ['nope'] }],
      ['metadata', { metadata: null }],
      ['metadata.when', { metadata: { when: new Date(0) } }],
      ['content', { content: 'x'.repeat(101) }],
      ['(message)', null],
    ];
    for (const [field, patch] of bad) {
      const message = patch === null ? null : { ...makeMessage('bad'), ...patch };
      const error = await rejection(queue.enqueue(message as never));
      expect(error.code, field).toBe('ERR_INVALID_MESSAGE');
      expect(error.message, field).toContain(`\`${field}\``);
    }
    expect(await readFile(journal)).toEqual(before);
    await queue.enqueue(makeMessage('ok-2'));
    await queue.close();
    const reopened = await MessageQueue.open({ store: storeOn(directory), clock });
    expect(reopened.dequeue(10).map((entry) => entry.message.id)).toEqual(['m-ok-1', 'm-ok-2']);
    await reopened.close();
  });

  it('refuses an append that is not an array', async () => {
    const store = storeOn(await tempDirectory());
    await store.open();
    const error = await rejection(store.append({ op: 'ack' } as never));
    expect(error).toMatchObject({ code: 'ERR_INVALID_RECORD', details: { field: 'records' } });
  });
});

describe('FileQueueStore: failures and lifecycle', () => {
  it('keeps only the newest keepDeadLetters dead letters, in memory, in snapshots and after reopening', async () => {
    const directory = await tempDirectory();
    const store = storeOn(directory, { keepDeadLetters: 3, compactEvery: 7 });
    await store.open();
    for (let i = 1; i <= 20; i++) {
      await store.append([{ op: 'enqueue', entry: makeEntry(i) }]);
      await store.append([{ op: 'dead', entryId: `e-${i}`, attempts: 3, lastError: `boom ${i}`, at: i }]);
    }
    await store.close();
    const snapshot = await readFile(join(directory, 'snapshot.jsonl'), 'utf8');
    expect(snapshot.split('\n').filter(Boolean)).toHaveLength(1 + 3);
    const reopened = await storeOn(directory, { keepDeadLetters: 3 }).open();
    expect(reopened.deadLetters.map((entry) => entry.entryId)).toEqual(['e-18', 'e-19', 'e-20']);
    expect(reopened.entries).toEqual([]);
    expect(reopened.lastSequence).toBe(20);
  });

  it('refuses a LOCK that is a directory with ERR_IO naming it (EISDIR), taking nothing over', async () => {
    const directory = await tempDirectory();
    await mkdir(join(directory, 'LOCK', 'inside'), { recursive: true });
    const error = await rejection(storeOn(directory).open());
    expect(error).toMatchObject({
      code: 'ERR_IO',
      details: { path: join(directory, 'LOCK'), errno: 'EISDIR' },
    });
    expect(error.message).toMatch(
      /to take the lock `.*LOCK` of the queue store, but `.*LOCK` is a directory/,
    );
    expect((await readdir(directory)).sort()).toEqual(['LOCK']);
  });

  it('refuses a store directory that is a file, saying so', async () => {
    const parent = await tempDirectory();
    const directory = join(parent, 'store');
    await writeFile(directory, 'a file');
    const error = await rejection(storeOn(directory).open());
    expect(error).toMatchObject({ code: 'ERR_IO', details: { path: directory, errno: 'EEXIST' } });
    expect(error.message).toMatch(/`.*store` exists and is not a directory; move it aside \(EEXIST\)/);
    const below = join(directory, 'deeper');
    const deeper = await rejection(storeOn(below).open());
    expect(deeper).toMatchObject({ code: 'ERR_IO', details: { path: below, errno: 'ENOTDIR' } });
  });

  it('rejects a faulted append with ERR_STORE_WRITE and writes nothing of it', async () => {
    const directory = await tempDirectory();
    const injected = new Error('disk on fire');
    let calls = 0;
    const store = storeOn(directory, {
      faults: { beforeAppend: () => (++calls === 2 ? injected : undefined) },
    });
    await store.open();
    await store.append([{ op: 'enqueue', entry: makeEntry(1) }]);
    const error = await rejection(store.append([{ op: 'enqueue', entry: makeEntry(2) }]));
    expect(error.code).toBe('ERR_STORE_WRITE');
    expect(error.cause).toBe(injected);
    await store.append([{ op: 'enqueue', entry: makeEntry(3) }]);
    const journal = await readFile(join(directory, 'journal-0000000001.jsonl'), 'utf8');
    expect(journal).not.toContain('"e-2"');
    await store.close();
    const { entries } = await storeOn(directory).open();
    expect(entries.map((e) => e.entryId)).toEqual(['e-1', 'e-3']);
  });

  it('rejects a failed real write with ERR_STORE_WRITE and cuts its partial bytes off the journal', async () => {
    const directory = await tempDirectory();
    const store = storeOn(directory);
    await store.open();
    await store.append([{ op: 'enqueue', entry: makeEntry(1) }]);
    const journalPath = join(directory, 'journal-0000000001.jsonl');
    const intact = (await stat(journalPath)).size;
    const proto = await fileHandlePrototype();
    const original = proto.write as (
      this: FileHandle,
      data: Buffer,
      offset: number,
      length: number,
      position: number,
    ) => Promise<unknown>;
    const failure = Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' });
    const spy = vi.spyOn(proto, 'write').mockImplementationOnce(async function (
      this: FileHandle,
      ...args: unknown[]
    ) {
      const [data, offset, length, position] = args as [Buffer, number, number, number];
      // Half the batch reaches the file before the disk "fills up".
      await original.call(this, data, offset, Math.floor(length / 2), position);
      throw failure;
    });
    const error = await rejection(store.append([{ op: 'enqueue', entry: makeEntry(2) }]));
    expect(error.code).toBe('ERR_STORE_WRITE');
    expect(error.cause).toBe(failure);
    expect(error.message).toContain(journalPath);
    expect(spy).toHaveBeenCalled();
    expect((await stat(journalPath)).size).toBe(intact);
    await store.append([{ op: 'enqueue', entry: makeEntry(3) }]);
    await store.close();
    expect(await storeOn(directory).open()).toMatchObject({
      entries: [makeEntry(1), makeEntry(3)],
      warnings: [],
    });
  });

  it('rejects records about unknown entries with ERR_UNKNOWN_ENTRY without failing the rest of the batch', async () => {
    const directory = await tempDirectory();
    const store = storeOn(directory);
    await store.open();
    const results = await Promise.allSettled([
      store.append([{ op: 'enqueue', entry: makeEntry(1) }]),
      store.append([
        { op: 'enqueue', entry: makeEntry(2) },
        { op: 'ack', entryId: 'e-9', at: 0 },
      ]),
      store.append([{ op: 'ack', entryId: 'e-1', at: 0 }]),
      store.append([{ op: 'ack', entryId: 'e-1', at: 0 }]),
      store.append([{ op: 'enqueue', entry: makeEntry(3) }]),
    ]);
    expect(results.map((r) => r.status)).toEqual([
      'fulfilled',
      'rejected',
      'fulfilled',
      'rejected',
      'fulfilled',
    ]);
    const reasons = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as StressError] : []));
    expect(reasons.map((e) => e.code)).toEqual(['ERR_UNKNOWN_ENTRY', 'ERR_UNKNOWN_ENTRY']);
    expect(reasons[0]!.message).toMatch(/unknown entry "e-9"/);
    await store.close();
    const { entries } = await storeOn(directory).open();
    expect(entries.map((e) => e.entryId)).toEqual(['e-3']);
  });

  it('rejects appends before open and after close with ERR_STORE_CLOSED', async () => {
    const directory = await tempDirectory();
    const store = storeOn(directory);
    expect((await rejection(store.append([]))).code).toBe('ERR_STORE_CLOSED');
    await store.open();
    const pending = store.append([{ op: 'enqueue', entry: makeEntry(1) }]);
    await store.close();
    await expect(pending).resolves.toBeUndefined();
    const error = await rejection(store.append([{ op: 'enqueue', entry: makeEntry(2) }]));
    expect(error.code).toBe('ERR_STORE_CLOSED');
    await store.close();
  });

  it('refuses a second store instance on the same directory until the first closes', async () => {
    const directory = await tempDirectory();
    const first = storeOn(directory);
    await first.open();
    const error = await rejection(storeOn(directory).open());
    expect(error.code).toBe('ERR_STORE_LOCKED');
    expect(error.message).toContain(`process ${process.pid}`);
    await first.close();
    await expect(storeOn(directory).open()).resolves.toMatchObject({ warnings: [] });
  });

  it('compacts every N records into a snapshot and keeps only the newest journal', async () => {
    const directory = await tempDirectory();
    const store = storeOn(directory, { compactEvery: 10 });
    const model = emptyModel();
    await store.open();
    for (let i = 1; i <= 35; i++) {
      const records: QueueRecord[] = [{ op: 'enqueue', entry: makeEntry(i) }];
      if (i % 3 === 0 && (i - 1) % 5 !== 0) records.push({ op: 'ack', entryId: `e-${i - 1}`, at: i });
      if (i % 5 === 0) records.push({ op: 'dead', entryId: `e-${i}`, attempts: 3, lastError: 'x', at: i });
      for (const record of records) applyToModel(model, record);
      await store.append(records);
    }
    expect(store.stats.compactions).toBeGreaterThanOrEqual(3);
    const files = (await readdir(directory)).sort();
    expect(files).toEqual([
      'LOCK',
      `journal-${String(store.stats.generation).padStart(10, '0')}.jsonl`,
      'snapshot.jsonl',
    ]);
    await store.close();
    expect(await readdir(directory)).not.toContain('LOCK');
    expect(await storeOn(directory).open()).toEqual({ ...modelView(model), warnings: [] });
  });

  it('keeps every record when a snapshot cannot be written, backs off, warns, and piles up no journals', async () => {
    const directory = await tempDirectory();
    const warnings: string[] = [];
    const store = storeOn(directory, { compactEvery: 3, onWarning: (w) => warnings.push(w) });
    const model = emptyModel();
    await store.open();
    // A non-empty directory where the snapshot goes makes its atomic rename fail.
    const snapshotPath = join(directory, 'snapshot.jsonl');
    await rm(snapshotPath);
    await mkdir(join(snapshotPath, 'blocker'), { recursive: true });
    const append = async (i: number) => {
      const record: QueueRecord =
        i % 4 === 0 ? { op: 'ack', entryId: `e-${i - 1}`, at: i } : { op: 'enqueue', entry: makeEntry(i) };
      applyToModel(model, record);
      await store.append([record]);
    };
    for (let i = 1; i <= 30; i++) await append(i);
    const error = store.stats.compactionError;
    expect(error?.code).toBe('ERR_STORE_COMPACTION');
    expect(StressError.is(error?.cause, 'ERR_IO')).toBe(true);
    // Tries at 3 records, then 6 and 12 more (at 9 and 21), the next after 24 more: not one per append.
    expect(error?.details).toMatchObject({ failures: 3, retryAfterRecords: 24 });
    expect(error?.message).toMatch(/No record is lost/);
    expect(warnings).toHaveLength(3);
    expect(store.stats.warnings).toEqual(warnings);
    expect(store.stats.compactions).toBe(0);
    const journals = (await readdir(directory)).filter((name) => name.startsWith('journal-'));
    expect(journals).toEqual(['journal-0000000001.jsonl', 'journal-0000000002.jsonl']);
    // Once the snapshot can be written again (here: at close), it covers both journals and the older goes.
    await rm(snapshotPath, { recursive: true });
    await store.close();
    expect(store.stats.compactionError).toBeUndefined();
    expect((await readdir(directory)).sort()).toEqual(['journal-0000000002.jsonl', 'snapshot.jsonl']);
    expect(await storeOn(directory).open()).toEqual({ ...modelView(model), warnings: [] });
  });

  it('recovers every record when a snapshot failed and the process then died (no rename happened)', async () => {
    const directory = await tempDirectory();
    let failing = true;
    const faults = { beforeSnapshot: () => (failing ? new Error('disk full (injected)') : undefined) };
    const store = storeOn(directory, { compactEvery: 2, faults });
    const model = emptyModel();
    await store.open();
    for (let i = 1; i <= 9; i++) {
      const record: QueueRecord = { op: 'enqueue', entry: makeEntry(i) };
      applyToModel(model, record);
      await store.append([record]);
    }
    expect(store.stats.compactionError?.message).toMatch(/disk full \(injected\)/);
    const crashed = await copyStore(directory);
    directories.push(crashed);
    const reopened = storeOn(crashed, { compactEvery: 2, faults });
    const recovered = await reopened.open();
    expect({ ...recovered, warnings: [] }).toEqual({ ...modelView(model), warnings: [] });
    failing = false;
    const record: QueueRecord = { op: 'enqueue', entry: makeEntry(10) };
    applyToModel(model, record);
    await reopened.append([record]);
    await reopened.close();
    expect(await storeOn(crashed).open()).toEqual({ ...modelView(model), warnings: [] });
  });

  it('spaces snapshots of a deep queue by the size of the last one, so their cost per record stays bounded', async () => {
    const directory = await tempDirectory();
    const store = storeOn(directory, { compactEvery: 10 });
    await store.open();
    const at: number[] = [];
    for (let i = 1; i <= 160; i++) {
      const before = store.stats.compactions;
      await store.append([{ op: 'enqueue', entry: makeEntry(i) }]);
      if (store.stats.compactions > before) at.push(i);
    }
    // Every 10 records would be 16 snapshots writing 1,360 lines; spacing by the last size doubles instead.
    expect(at).toEqual([10, 20, 40, 80, 160]);
  });

  it('validates its options', () => {
    expect(() => new FileQueueStore({ directory: '' })).toThrow(/`directory` to be a non-empty path/);
    expect(() => new FileQueueStore({ directory: 'x', maxBatch: 0 })).toThrow(/`maxBatch` to be an integer/);
    expect(() => new FileQueueStore({ directory: 'x', compactEvery: 1.5 })).toThrow(/`compactEvery`/);
    expect(() => new FileQueueStore({ directory: 'x', groupCommitMs: -1 })).toThrow(/`groupCommitMs`/);
    expect(() => new FileQueueStore({ directory: 'x', keepDeadLetters: -1 })).toThrow(/`keepDeadLetters`/);
    expect(() => new FileQueueStore({ directory: 'x', onWarning: 1 as never })).toThrow(/`onWarning`/);
    expect(() => new FileQueueStore({ directory: 'x', faults: { beforeSnapshot: 1 as never } })).toThrow(
      /`faults.beforeSnapshot` to be a function/,
    );
  });
});
