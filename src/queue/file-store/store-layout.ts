import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { ATOMIC_TEMP_SUFFIX } from '../../io/atomic-write.ts';

/** The snapshot file of a store directory: the live state as of the start of one journal generation. */
export const SNAPSHOT_FILE_NAME = 'snapshot.jsonl';

const JOURNAL = /^journal-(\d{10})\.jsonl$/;

/** The journal file name of a generation: `journal-0000000003.jsonl`. */
export function journalFileName(generation: number): string {
  return `journal-${String(generation).padStart(10, '0')}.jsonl`;
}

/** One journal file found in a store directory. */
export interface JournalFileRef {
  readonly generation: number;
  readonly path: string;
}

/** What a store directory holds, read once at open. */
export interface StoreFiles {
  /** Journal files by ascending generation. */
  readonly journals: readonly JournalFileRef[];
  readonly snapshotPath: string;
  /** Temp files of atomic writes a crash interrupted; safe to delete under the lock. */
  readonly leftovers: readonly string[];
}

/** Lists the journals, snapshot and leftovers of a store directory. */
export async function listStoreFiles(directory: string): Promise<StoreFiles> {
  const names = await readdir(directory);
  const journals: JournalFileRef[] = [];
  const leftovers: string[] = [];
  for (const name of names) {
    const match = JOURNAL.exec(name);
    if (match !== null) journals.push({ generation: Number(match[1]), path: join(directory, name) });
    else if (name.startsWith(`.${SNAPSHOT_FILE_NAME}.`) && name.endsWith(ATOMIC_TEMP_SUFFIX)) {
      leftovers.push(join(directory, name));
    }
  }
  journals.sort((a, b) => a.generation - b.generation);
  return { journals, snapshotPath: join(directory, SNAPSHOT_FILE_NAME), leftovers };
}
