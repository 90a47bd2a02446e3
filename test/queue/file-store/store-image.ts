// Builders of store directories for recovery tests: a real store written by FileQueueStore, copied while it is
// still open (what a crash leaves, lock included) or after close, plus line-level access to its files.
import { copyFile, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { makeEntry } from '../../../fixtures/store-crash/queue-records.ts';
import { FileQueueStore } from '../../../src/queue/file-store/file-queue-store.ts';
import type { FileQueueStoreOptions } from '../../../src/queue/file-store/file-queue-store-options.ts';
import { journalHeader } from '../../../src/queue/file-store/journal-header.ts';
import { encodeHeaderLine, encodeJournalLine } from '../../../src/queue/file-store/journal-line.ts';
import type { QueueRecord } from '../../../src/queue/queue-record.ts';
import { tempDir } from '../../support/temp-dir.ts';

export const enqueue = (sequence: number): QueueRecord => ({ op: 'enqueue', entry: makeEntry(sequence) });
export const ack = (sequence: number): QueueRecord => ({ op: 'ack', entryId: `e-${sequence}`, at: sequence });

/** Copies every file of `source` into a new temp directory. */
export async function copyStore(source: string): Promise<string> {
  const target = tempDir('vitest-stress-image-');
  for (const name of await readdir(source)) await copyFile(join(source, name), join(target, name));
  return target;
}

export interface StoreImage {
  readonly directory: string;
  /** Journal file names, oldest first. */
  readonly journals: readonly string[];
}

/**
 * Writes `commits` (one append each, awaited) to a new store, then returns a copy of the directory taken while
 * the store was still open (`crashed`, as SIGKILL leaves it: lock and all) or after `close()`.
 */
export async function storeImage(
  commits: readonly (readonly QueueRecord[])[],
  how: 'crashed' | 'closed',
  options: Omit<FileQueueStoreOptions, 'directory'> = { compactEvery: Number.POSITIVE_INFINITY },
): Promise<StoreImage> {
  const source = tempDir('vitest-stress-source-');
  const store = new FileQueueStore({ directory: source, ...options });
  await store.open();
  for (const records of commits) await store.append(records);
  let directory: string;
  if (how === 'crashed') {
    directory = await copyStore(source);
    await store.close();
  } else {
    await store.close();
    directory = await copyStore(source);
  }
  const journals = (await readdir(directory)).filter((name) => name.startsWith('journal-')).sort();
  return { directory, journals };
}

/** The lines of a file, each with its newline (a last line without one is kept as it is). */
export async function linesOf(path: string): Promise<string[]> {
  const text = await readFile(path, 'utf8');
  return text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
}

/** Rewrites a file from lines. */
export async function writeLines(path: string, lines: readonly string[]): Promise<void> {
  await writeFile(path, lines.join(''));
}

const journalName = (generation: number) => `journal-${String(generation).padStart(10, '0')}.jsonl`;

/**
 * Adds the next journal generation after the newest one, as compaction starts it, holding `commits`; with
 * `seal` the newest journal first gets the seal record that moves appends on (without it, the new journal is
 * one a crash could not have written). Returns the new journal's path.
 */
export async function addJournal(
  directory: string,
  commits: readonly (readonly QueueRecord[])[],
  seal: boolean,
): Promise<string> {
  const names = (await readdir(directory)).filter((name) => name.startsWith('journal-')).sort();
  const newest = join(directory, names.at(-1)!);
  const lines = await linesOf(newest);
  const header = JSON.parse(lines[0]!.slice(9)) as { generation: number; firstLsn: number; salt: string };
  const last = lines.length > 1 ? Number(lines.at(-1)!.split(' ')[1]) : header.firstLsn - 1;
  const generation = header.generation + 1;
  let lsn = last + 1;
  if (seal) {
    const record = JSON.stringify({ op: 'seal', next: generation });
    await writeFile(
      newest,
      lines.join('') + encodeJournalLine(Number.parseInt(header.salt, 16), lsn, lsn, record),
    );
    lsn++;
  }
  const salt = 0x5eed0000 + generation;
  let text = encodeHeaderLine(journalHeader(generation, lsn, salt));
  for (const records of commits) {
    const end = lsn + records.length - 1;
    for (const record of records) text += encodeJournalLine(salt, lsn++, end, JSON.stringify(record));
  }
  const path = join(directory, journalName(generation));
  await writeFile(path, text);
  return path;
}
