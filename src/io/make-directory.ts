import { mkdir, stat } from 'node:fs/promises';
import { dirname } from 'node:path';

/**
 * `mkdir(path, { recursive: true })` with the error the kernel gave. Node's recursive mkdir reports `ENOENT`
 * for a directory it could not create on a read-only file system (and hides `EACCES` the same way in some
 * cases), which would send the user looking for a missing parent. On `ENOENT` this finds the nearest existing
 * ancestor and creates its child plainly, so the error names the real reason (`EROFS`, `EACCES`, `ENOTDIR`).
 */
export async function makeDirectory(path: string): Promise<void> {
  try {
    await mkdir(path, { recursive: true });
  } catch (error) {
    if ((error as { code?: unknown }).code !== 'ENOENT') throw error;
    let child = path;
    let parent = dirname(path);
    while (
      parent !== child &&
      !(await stat(parent).then(
        () => true,
        () => false,
      ))
    ) {
      child = parent;
      parent = dirname(parent);
    }
    // A parent that now exists: the plain mkdir fails with the real errno (or succeeds, and the retry finishes).
    await mkdir(child).catch((cause: unknown) => {
      if ((cause as { code?: unknown }).code !== 'EEXIST') throw cause;
    });
    await mkdir(path, { recursive: true });
  }
}
