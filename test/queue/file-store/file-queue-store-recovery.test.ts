import { appendFile, readdir, readFile, rm, stat, truncate, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { makeEntry } from '../../../fixtures/store-crash/queue-records.ts';
import { StressError } from '../../../src/protocol/index.ts';
import { FileQueueStore } from '../../../src/queue/file-store/file-queue-store.ts';
import { encodeJournalLine } from '../../../src/queue/file-store/journal-line.ts';
import { tempDir } from '../../support/temp-dir.ts';
import { ack, addJournal, enqueue, linesOf, storeImage, writeLines } from './store-image.ts';

const stores: FileQueueStore[] = [];

function storeOn(directory: string): FileQueueStore {
  const store = new FileQueueStore({ directory, compactEvery: Number.POSITIVE_INFINITY });
  stores.push(store);
  return store;
}

afterEach(async () => {
  await Promise.all(stores.splice(0).map((store) => store.close().catch(() => undefined)));
});

async function corruption(directory: string): Promise<StressError> {
  try {
    await storeOn(directory).open();
  } catch (error) {
    if (StressError.is(error)) return error;
    throw error;
  }
  throw new Error('expected open() to fail');
}

const ids = (recovered: { entries: readonly { entryId: string }[] }) =>
  recovered.entries.map((e) => e.entryId);
const saltOf = (headerLine: string) => Number.parseInt(JSON.parse(headerLine.slice(9)).salt, 16);

/** A line with a valid checksum for `salt` carrying any JSON text. */
const line = (salt: number, lsn: number, end: number, value: unknown) =>
  encodeJournalLine(salt, lsn, end, JSON.stringify(value));

describe('FileQueueStore recovery: a crash mid-write', () => {
  it('drops an incomplete last line with the rest of its group commit, reports it and truncates the file', async () => {
    const image = await storeImage([[enqueue(1)], [enqueue(2), enqueue(3), ack(1)]], 'crashed');
    const path = join(image.directory, image.journals[0]!);
    const lines = await linesOf(path);
    // The crash cut the last commit (lines 3-5 after the header) inside its last line.
    const intact = lines.slice(0, 3).join('');
    await writeFile(path, intact + lines[3] + lines[4]!.slice(0, 25));
    const store = storeOn(image.directory);
    const recovered = await store.open();
    expect(ids(recovered)).toEqual(['e-1']);
    expect(recovered.warnings).toEqual([
      expect.stringMatching(/stale lock/),
      expect.stringContaining(`Dropped the unfinished last group commit of ${path} (lsn 2–4) from line 3`),
      expect.stringMatching(/through lsn 1 \(the last record: "enqueue" of entry "e-1"/),
    ]);
    expect(recovered.warnings[1]).toMatch(
      /incomplete .* records read from it: "enqueue" of entry "e-2" \(lsn 2\)/,
    );
    expect(store.recovery).toMatchObject({
      clean: false,
      throughLsn: 1,
      torn: {
        path,
        line: 3,
        firstLsn: 2,
        lastLsn: 4,
        records: [
          { lsn: 2, line: 3, op: 'enqueue', entryId: 'e-2' },
          { lsn: 3, line: 4, op: 'enqueue', entryId: 'e-3' },
        ],
      },
    });
    expect(await readFile(path, 'utf8')).toBe(lines.slice(0, 2).join(''));
  });

  it('drops a last commit whose last line never arrived, although every line it has is intact', async () => {
    const image = await storeImage([[enqueue(1)], [enqueue(2), enqueue(3)]], 'crashed');
    const path = join(image.directory, image.journals[0]!);
    const lines = await linesOf(path);
    await writeLines(path, lines.slice(0, 3));
    const recovered = await storeOn(image.directory).open();
    expect(ids(recovered)).toEqual(['e-1']);
    expect(recovered.warnings[1]).toMatch(/\(lsn 2–3\) from line 3 .*last line \(lsn 3\) is missing/);
  });

  it('drops damaged bytes at the end of the last commit and appends cleanly after', async () => {
    const image = await storeImage([[enqueue(1)], [enqueue(2), enqueue(3)]], 'crashed');
    const path = join(image.directory, image.journals[0]!);
    const lines = await linesOf(path);
    lines[3] = lines[3]!.replace('Test message', 'Test massage');
    await writeLines(path, lines);
    const store = storeOn(image.directory);
    expect(ids(await store.open())).toEqual(['e-1']);
    await store.append([enqueue(5)]);
    await store.close();
    const reopened = storeOn(image.directory);
    expect(await reopened.open()).toMatchObject({ entries: [makeEntry(1), makeEntry(5)], warnings: [] });
    expect(reopened.recovery).toMatchObject({ clean: true, torn: undefined });
  });

  it('says how far it recovered when nothing is torn but the store was not closed', async () => {
    const image = await storeImage([[enqueue(1)], [enqueue(2)]], 'crashed');
    const store = storeOn(image.directory);
    expect(ids(await store.open())).toEqual(['e-1', 'e-2']);
    expect(store.recovery).toMatchObject({
      clean: false,
      throughLsn: 2,
      lastRecord: { lsn: 2, entryId: 'e-2' },
    });
  });
});

describe('FileQueueStore recovery: damage is refused with the file, line and byte', () => {
  it('refuses a damaged line with intact commits after it, and leaves the files alone', async () => {
    const image = await storeImage([[enqueue(1)], [enqueue(2)], [enqueue(3)]], 'crashed');
    const path = join(image.directory, image.journals[0]!);
    const lines = await linesOf(path);
    lines[2] = lines[2]!.replace('"e-2"', '"e-X"');
    await writeLines(path, lines);
    const size = (await stat(path)).size;
    const error = await corruption(image.directory);
    expect(error.code).toBe('ERR_STORE_CORRUPTED');
    expect(error.message).toContain(path);
    expect(error.message).toMatch(
      /line 3 \(byte \d+\) is not: checksum mismatch.*intact lines follow it \(line 4, lsn 3\)/,
    );
    expect(error.details).toMatchObject({ path, line: 3, offset: lines[0]!.length + lines[1]!.length });
    expect((await stat(path)).size).toBe(size);
    // The stale lock of the crashed writer is put back: the next open still knows the store was not closed.
    const lock = await readFile(join(image.directory, 'LOCK'), 'utf8');
    expect(await corruption(image.directory)).toMatchObject({ details: { path, line: 3 } });
    expect(await readFile(join(image.directory, 'LOCK'), 'utf8')).toBe(lock);
  });

  it.each([
    [
      'a deleted middle line',
      (lines: string[]) => lines.splice(2, 1),
      /line 3 .*expected lsn 2, got 3: lines are missing/,
    ],
    [
      'a repeated line',
      (lines: string[]) => lines.splice(2, 0, lines[2]!),
      /line 4 .*expected lsn 3, got 2: .*repeated/,
    ],
    [
      'swapped lines',
      (lines: string[]) => lines.splice(2, 2, lines[3]!, lines[2]!),
      /line 3 .*expected lsn 2, got 3/,
    ],
    ['a deleted header', (lines: string[]) => lines.splice(0, 1), /line 1 .*bad header/],
  ])('refuses %s', async (_name, damage, message) => {
    const crashed = await storeImage([[enqueue(1)], [enqueue(2)], [enqueue(3)], [enqueue(4)]], 'crashed');
    const journal = join(crashed.directory, crashed.journals[0]!);
    const lines = await linesOf(journal);
    damage(lines);
    await writeLines(journal, lines);
    const error = await corruption(crashed.directory);
    expect(error.code).toBe('ERR_STORE_CORRUPTED');
    expect(error.message).toMatch(message);
  });

  it('refuses a line copied in from another journal: the salt does not match', async () => {
    const one = await storeImage([[enqueue(1)], [enqueue(2)]], 'crashed');
    const other = await storeImage([[enqueue(1)], [enqueue(2)], [enqueue(3)]], 'crashed');
    const path = join(one.directory, one.journals[0]!);
    const foreign = await linesOf(join(other.directory, other.journals[0]!));
    const lines = await linesOf(path);
    await writeLines(path, [...lines, foreign[3]!, line(saltOf(lines[0]!), 4, 4, { op: 'close' })]);
    expect((await corruption(one.directory)).message).toMatch(/line 4 .*checksum mismatch/);
  });

  it.each([
    ['an unknown op', { op: 'requeue', entryId: 'e-1' }, /`op` to be one of/],
    ['an ack of an unknown entry', ack(7), /"ack" refers to unknown entry "e-7"/],
    ['a second enqueue of a live entry', enqueue(1), /"e-1" is enqueued while already live/],
    ['an entry with a bad message', { op: 'enqueue', entry: { ...makeEntry(2), message: {} } }, /message/],
    ['a seal that skips a generation', { op: 'seal', next: 5 }, /seal names generation 5/],
  ])('refuses %s behind a valid checksum, even as the last line', async (_name, record, message) => {
    const image = await storeImage([[enqueue(1)]], 'crashed');
    const path = join(image.directory, image.journals[0]!);
    const lines = await linesOf(path);
    await writeLines(path, [...lines, line(saltOf(lines[0]!), 2, 2, record)]);
    const error = await corruption(image.directory);
    expect(error.code).toBe('ERR_STORE_CORRUPTED');
    expect(error.message).toMatch(/line 3 /);
    expect(error.message).toMatch(message);
  });

  it('refuses invalid JSON behind a matching checksum', async () => {
    const image = await storeImage([[enqueue(1)]], 'crashed');
    const path = join(image.directory, image.journals[0]!);
    const lines = await linesOf(path);
    const body = '2 2 {"op":"enqueue",';
    const bad = `${(crc32(body, saltOf(lines[0]!)) >>> 0).toString(16).padStart(8, '0')} ${body}\n`;
    await writeLines(path, [...lines, bad]);
    expect((await corruption(image.directory)).message).toMatch(/line 3 .*invalid JSON/);
  });

  it('names the snapshot, line and byte when the snapshot is damaged', async () => {
    const image = await storeImage([[enqueue(1), enqueue(2)]], 'closed');
    const path = join(image.directory, 'snapshot.jsonl');
    const text = await readFile(path, 'utf8');
    await writeFile(path, text.replace('"e-1"', '"e-7"'));
    let error = await corruption(image.directory);
    expect(error.code).toBe('ERR_STORE_CORRUPTED');
    expect(error.message).toContain(path);
    expect(error.message).toMatch(/line 2 \(byte \d+\) is not: checksum mismatch/);
    const lines = text.match(/[^\n]*\n/g)!;
    await writeLines(path, [lines[0]!, lines[2]!]);
    error = await corruption(image.directory);
    expect(error.message).toMatch(/line 2 .*checksum mismatch.*a line before it is missing or extra/);
    await writeLines(path, lines.slice(0, 2));
    expect((await corruption(image.directory)).message).toMatch(/announces 2 lines after it, got 1/);
    await writeFile(path, '');
    expect((await corruption(image.directory)).message).toMatch(
      /snapshot\.jsonl` to be intact, but line 1 .*empty/,
    );
  });
});

describe('FileQueueStore recovery: missing or emptied files are refused', () => {
  it('refuses journals without the snapshot they continue', async () => {
    const image = await storeImage([[enqueue(1)]], 'closed');
    await rm(join(image.directory, 'snapshot.jsonl'));
    const error = await corruption(image.directory);
    expect(error.code).toBe('ERR_STORE_CORRUPTED');
    expect(error.message).toMatch(/snapshot\.jsonl` to exist: the journals .* need the snapshot/);
  });

  it.each(['deleted', 'emptied'])('refuses a snapshot whose journal was %s', async (how) => {
    const image = await storeImage([[enqueue(1)]], 'closed');
    const path = join(image.directory, image.journals.at(-1)!);
    if (how === 'deleted') await rm(path);
    else await truncate(path, 0);
    const error = await corruption(image.directory);
    expect(error.code).toBe('ERR_STORE_CORRUPTED');
    expect(error.message).toContain(path);
  });

  it('refuses when the newest generation is gone after a seal moved appends to it', async () => {
    const image = await storeImage([[enqueue(1)], [enqueue(2)]], 'crashed');
    const newest = await addJournal(image.directory, [[enqueue(3), enqueue(4)]], true);
    await rm(newest);
    const error = await corruption(image.directory);
    expect(error.message).toMatch(
      /journal-0000000002\.jsonl` to exist: .*journal-0000000001\.jsonl ends with a seal/,
    );
  });

  it('treats a journal 1 with only its header and no snapshot as a store whose creation was interrupted', async () => {
    const image = await storeImage([], 'crashed');
    await rm(join(image.directory, 'snapshot.jsonl'));
    const store = storeOn(image.directory);
    expect(await store.open()).toMatchObject({ entries: [], lastSequence: 0 });
    expect(store.recovery).toMatchObject({
      created: true,
      removed: [join(image.directory, image.journals[0]!)],
    });
  });

  it('refuses a store of format 1, changing nothing', async () => {
    const directory = tempDir('vitest-stress-recovery-');
    const v1 = '{"op":"enqueue","entry":{}}';
    await writeFile(
      join(directory, 'journal-0000000000.jsonl'),
      `${crc32(v1).toString(16).padStart(8, '0')} ${v1}\n`,
    );
    let error = await corruption(directory);
    expect(error.code).toBe('ERR_STORE_FORMAT');
    expect(error.message).toMatch(/store format 2, got format 1 .*move the directory aside/);
    const header = JSON.stringify({ schema_version: 1, kind: 'vitest-stress queue snapshot', generation: 1 });
    await rm(join(directory, 'journal-0000000000.jsonl'));
    await writeFile(
      join(directory, 'snapshot.jsonl'),
      `${crc32(header).toString(16).padStart(8, '0')} ${header}\n`,
    );
    error = await corruption(directory);
    expect(error.code).toBe('ERR_STORE_FORMAT');
    expect(await readdir(directory)).toEqual(['snapshot.jsonl']);
  });
});

describe('FileQueueStore recovery: clean shutdown', () => {
  it('reopens a closed store without warnings', async () => {
    const image = await storeImage([[enqueue(1)], [enqueue(2), ack(1)]], 'closed');
    const store = storeOn(image.directory);
    expect(await store.open()).toMatchObject({ entries: [makeEntry(2)], warnings: [] });
    expect(store.recovery).toMatchObject({ created: false, clean: true });
  });

  it('warns when a closed store lost its close record, saying through which lsn it recovered', async () => {
    const image = await storeImage([[enqueue(1)], [enqueue(2)]], 'closed', {
      compactEvery: Number.POSITIVE_INFINITY,
    });
    const path = join(image.directory, image.journals.at(-1)!);
    const lines = await linesOf(path);
    await writeLines(path, lines.slice(0, -1));
    const store = storeOn(image.directory);
    const recovered = await store.open();
    expect(ids(recovered)).toEqual(['e-1', 'e-2']);
    expect(recovered.warnings).toEqual([
      expect.stringMatching(/not closed cleanly, yet no lock was left behind: .*cut off.*through lsn \d+/),
    ]);
  });
});

describe('FileQueueStore recovery: crashes during compaction', () => {
  it('removes a new journal that a crash left before the old one was sealed', async () => {
    const image = await storeImage([[enqueue(1)], [enqueue(2)]], 'crashed');
    const orphan = join(image.directory, 'journal-0000000002.jsonl');
    await writeFile(orphan, '1234');
    const store = storeOn(image.directory);
    expect(ids(await store.open())).toEqual(['e-1', 'e-2']);
    expect(store.recovery?.removed).toContain(orphan);
    await store.append([enqueue(3)]);
    await store.close();
    expect(ids(await storeOn(image.directory).open())).toEqual(['e-1', 'e-2', 'e-3']);
  });

  it('refuses a new journal holding records although the old one was never sealed', async () => {
    const image = await storeImage([[enqueue(1)]], 'crashed');
    await addJournal(image.directory, [[enqueue(2)]], false);
    expect((await corruption(image.directory)).message).toMatch(
      /journal-0000000001\.jsonl` .*line 3 .*does not end with the seal record, yet .*journal-0000000002/,
    );
  });

  it('replays the sealed journal and the new one when the crash came before the snapshot was renamed in', async () => {
    const image = await storeImage([[enqueue(1), enqueue(2)]], 'crashed');
    await addJournal(image.directory, [[ack(1), enqueue(3)]], true);
    const store = storeOn(image.directory);
    const recovered = await store.open();
    expect(recovered.entries).toEqual([makeEntry(2), makeEntry(3)]);
    expect(store.recovery).toMatchObject({ throughLsn: 5, lastRecord: { lsn: 5, entryId: 'e-3' } });
  });

  it('removes temp files of an interrupted snapshot write and journals the snapshot covers', async () => {
    const image = await storeImage([[enqueue(1)], [enqueue(2)]], 'closed', { compactEvery: 1 });
    const temp = join(image.directory, '.snapshot.jsonl.123.abc.tmp');
    await writeFile(temp, 'half a snapshot');
    const covered = join(image.directory, 'journal-0000000001.jsonl');
    await writeFile(covered, 'old');
    const store = storeOn(image.directory);
    expect(ids(await store.open())).toEqual(['e-1', 'e-2']);
    expect(await readdir(image.directory)).not.toContain('.snapshot.jsonl.123.abc.tmp');
    expect(await readdir(image.directory)).not.toContain('journal-0000000001.jsonl');
    expect(store.recovery?.removed).toEqual(expect.arrayContaining([temp, covered]));
  });

  it('reports a stale lock left by a dead process and takes it over', async () => {
    const image = await storeImage([[enqueue(1)]], 'closed');
    const lock = { pid: 2_000_000_000, hostname: hostname(), acquiredAt: 'then', token: 't' };
    await appendFile(join(image.directory, 'LOCK'), JSON.stringify(lock));
    const recovered = await storeOn(image.directory).open();
    expect(recovered.entries).toEqual([makeEntry(1)]);
    expect(recovered.warnings).toEqual([expect.stringMatching(/stale lock .*LOCK/)]);
  });
});
