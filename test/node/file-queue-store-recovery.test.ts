import { appendFile, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { makeEntry } from '../../fixtures/store-crash/queue-records.ts';
import { FileQueueStore } from '../../src/node/file-queue-store.ts';
import { encodeJournalLine } from '../../src/node/journal-line.ts';
import { QueueJournalState } from '../../src/node/queue-journal-state.ts';
import { writeQueueSnapshot } from '../../src/node/queue-snapshot.ts';
import { StressError } from '../../src/protocol/index.ts';
import type { QueueRecord } from '../../src/queue/queue-record.ts';

const directories: string[] = [];
const stores: FileQueueStore[] = [];

async function tempDirectory(): Promise<string> {
  const directory = await mkdtemp(join(tmpdir(), 'vitest-stress-recovery-'));
  directories.push(directory);
  return directory;
}

function openStore(directory: string) {
  const store = new FileQueueStore({ directory });
  stores.push(store);
  return store.open();
}

afterEach(async () => {
  await Promise.all(stores.splice(0).map((store) => store.close().catch(() => undefined)));
  await Promise.all(directories.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

async function corruption(directory: string): Promise<StressError> {
  try {
    await openStore(directory);
  } catch (error) {
    if (StressError.is(error)) return error;
    throw error;
  }
  throw new Error('expected open() to fail');
}

const enqueue = (sequence: number): QueueRecord => ({ op: 'enqueue', entry: makeEntry(sequence) });
const ack = (sequence: number): QueueRecord => ({ op: 'ack', entryId: `e-${sequence}`, at: sequence });
const journalText = (records: readonly unknown[]): string => records.map(encodeJournalLine).join('');
const JOURNAL_0 = 'journal-0000000000.jsonl';
const JOURNAL_1 = 'journal-0000000001.jsonl';

/** A directory as a crash would leave it: journal lines as given, no snapshot, no lock. */
async function crashImage(text: string, name = JOURNAL_0): Promise<{ directory: string; path: string }> {
  const directory = await tempDirectory();
  const path = join(directory, name);
  await writeFile(path, text);
  return { directory, path };
}

describe('FileQueueStore recovery: torn last record', () => {
  it('drops an incomplete last line, reports it with file and line, and truncates the file', async () => {
    const intact = journalText([enqueue(1), enqueue(2), ack(1)]);
    const torn = encodeJournalLine(enqueue(3)).slice(0, 40);
    const { directory, path } = await crashImage(intact + torn);
    const recovered = await openStore(directory);
    expect(recovered.entries).toEqual([makeEntry(2)]);
    expect(recovered.lastSequence).toBe(2);
    expect(recovered.warnings).toHaveLength(1);
    expect(recovered.warnings[0]).toContain(`${path}:4`);
    expect(recovered.warnings[0]).toMatch(/torn last record.*incomplete.*truncated to \d+ bytes/);
    expect(await readFile(path, 'utf8')).toBe(intact);
  });

  it('drops a complete last line whose checksum fails, then appends cleanly after it', async () => {
    const intact = journalText([enqueue(1)]);
    const bad = encodeJournalLine(enqueue(2)).replace('Test message', 'Test massage');
    const { directory, path } = await crashImage(intact + bad);
    const store = new FileQueueStore({ directory, compactEvery: Number.POSITIVE_INFINITY });
    stores.push(store);
    const recovered = await store.open();
    expect(recovered.entries).toEqual([makeEntry(1)]);
    expect(recovered.warnings[0]).toMatch(/:2 \(checksum mismatch/);
    await store.append([enqueue(5)]);
    expect(await readFile(path, 'utf8')).toBe(intact + journalText([enqueue(5)]));
    await store.close();
    expect(await openStore(directory)).toMatchObject({ entries: [makeEntry(1), makeEntry(5)], warnings: [] });
  });
});

describe('FileQueueStore recovery: corruption is an error, never an empty queue', () => {
  it('names the file and line of a damaged record in the middle and leaves the file alone', async () => {
    const lines = [enqueue(1), enqueue(2), enqueue(3), enqueue(4)].map(encodeJournalLine);
    lines[1] = lines[1]!.replace('"e-2"', '"e-X"');
    const { directory, path } = await crashImage(lines.join(''));
    const error = await corruption(directory);
    expect(error.code).toBe('ERR_STORE_CORRUPTED');
    expect(error.message).toContain(path);
    expect(error.message).toMatch(/line 2 is not: checksum mismatch/);
    expect(error.details).toMatchObject({ path, line: 2 });
    expect((await stat(path)).size).toBe(lines.join('').length);
    expect(await readdir(directory)).not.toContain('LOCK');
  });

  it.each([
    ['an unknown op', { op: 'requeue', entryId: 'e-1' }, /line 2 .*`op` to be one of/],
    ['an ack of an unknown entry', ack(7), /line 2 .*"ack" refers to unknown entry "e-7"/],
    ['a second enqueue of a live entry', enqueue(1), /line 2 .*"e-1" is enqueued while already live/],
    [
      'an entry with a bad message',
      { op: 'enqueue', entry: { ...makeEntry(2), message: {} } },
      /line 2 .*message/,
    ],
  ])(
    'treats %s with a valid checksum as corruption, even on the last line',
    async (_name, record, message) => {
      const { directory } = await crashImage(journalText([enqueue(1), record]));
      const error = await corruption(directory);
      expect(error.code).toBe('ERR_STORE_CORRUPTED');
      expect(error.message).toMatch(message);
    },
  );

  it('reports invalid JSON behind a matching checksum', async () => {
    const json = '{"op":"enqueue",';
    const line = `${crc32(json).toString(16).padStart(8, '0')} ${json}\n`;
    const { directory } = await crashImage(line + journalText([enqueue(1)]));
    expect((await corruption(directory)).message).toMatch(/line 1 is not: invalid JSON/);
  });

  it('names the snapshot and line when the snapshot is damaged', async () => {
    const directory = await tempDirectory();
    const store = new FileQueueStore({ directory });
    await store.open();
    await store.append([enqueue(1), enqueue(2)]);
    await store.close();
    const path = join(directory, 'snapshot.jsonl');
    const text = await readFile(path, 'utf8');
    await writeFile(path, text.replace('"e-1"', '"e-7"'));
    const error = await corruption(directory);
    expect(error.code).toBe('ERR_STORE_CORRUPTED');
    expect(error.message).toContain(path);
    expect(error.message).toMatch(/line 2 is not: checksum mismatch/);
    await writeFile(path, 'not a snapshot\n');
    expect((await corruption(directory)).message).toMatch(/snapshot\.jsonl` to be intact, but line 1/);
    await writeFile(path, text.split('\n').slice(0, 2).join('\n').concat('\n'));
    expect((await corruption(directory)).message).toMatch(/announces 3 lines, got 2/);
  });

  it('refuses journals that skip a generation or lack the snapshot that covers them', async () => {
    const { directory } = await crashImage(journalText([enqueue(1)]), JOURNAL_1);
    const error = await corruption(directory);
    expect(error.code).toBe('ERR_STORE_CORRUPTED');
    expect(error.message).toContain(join(directory, JOURNAL_0));
  });

  it('refuses a torn record in a journal that is not the newest', async () => {
    const { directory } = await crashImage(
      journalText([enqueue(1)]) + encodeJournalLine(enqueue(2)).slice(0, 30),
    );
    await writeFile(join(directory, JOURNAL_1), journalText([enqueue(3)]));
    expect((await corruption(directory)).message).toMatch(/journal-0000000000\.jsonl` .*line 2 .*incomplete/);
  });
});

describe('FileQueueStore recovery: crashes during compaction', () => {
  it('replays both journals when the crash came before the new snapshot was renamed in', async () => {
    const { directory } = await crashImage(journalText([enqueue(1), enqueue(2)]));
    await writeFile(join(directory, JOURNAL_1), journalText([ack(1), enqueue(3)]));
    await writeFile(join(directory, '.snapshot.jsonl.123.abc.tmp'), 'half a snapshot');
    const recovered = await openStore(directory);
    expect(recovered).toEqual({
      entries: [makeEntry(2), makeEntry(3)],
      deadLetters: [],
      lastSequence: 3,
      warnings: [],
    });
    expect(await readdir(directory)).not.toContain('.snapshot.jsonl.123.abc.tmp');
  });

  it('ignores and removes the journal a new snapshot already covers', async () => {
    const { directory } = await crashImage(journalText([enqueue(1), enqueue(2), ack(2)]));
    await writeQueueSnapshot(join(directory, 'snapshot.jsonl'), 1, new QueueJournalState(2, [makeEntry(1)]));
    await writeFile(join(directory, JOURNAL_1), journalText([enqueue(3)]));
    const recovered = await openStore(directory);
    expect(recovered).toEqual({
      entries: [makeEntry(1), makeEntry(3)],
      deadLetters: [],
      lastSequence: 3,
      warnings: [],
    });
    expect(await readdir(directory)).not.toContain(JOURNAL_0);
  });

  it('reports a stale lock left by a dead process and takes it over', async () => {
    const { directory } = await crashImage(journalText([enqueue(1)]));
    const lock = { pid: 2_000_000_000, hostname: hostname(), acquiredAt: 'then', token: 't' };
    await appendFile(join(directory, 'LOCK'), JSON.stringify(lock));
    const recovered = await openStore(directory);
    expect(recovered.entries).toEqual([makeEntry(1)]);
    expect(recovered.warnings).toEqual([expect.stringMatching(/stale lock .*LOCK/)]);
  });
});
