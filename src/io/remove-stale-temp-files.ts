import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { processExists } from './process-exists.ts';

// `.<name>.<pid>.<12 hex>.tmp`, as writeFileAtomic names its temp files.
const TEMP = /^\..+\.(\d+)\.[0-9a-f]{12}\.tmp$/;

/**
 * Removes the temp files that atomic writes of processes now dead left in `directory` (a writer killed between
 * creating its temp file and renaming it). A temp file of a live process, this one included, is left alone: it
 * may still be renamed into place. Resolves with the paths removed; a missing directory holds none.
 */
export async function removeStaleTempFiles(directory: string): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(directory);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const removed: string[] = [];
  for (const name of names) {
    const match = TEMP.exec(name);
    if (match === null || processExists(Number(match[1]))) continue;
    const path = join(directory, name);
    await rm(path, { force: true });
    removed.push(path);
  }
  return removed;
}
