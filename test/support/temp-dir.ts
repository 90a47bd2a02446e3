import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';

const made: string[] = [];

// Registered when a test file first imports this module (during collection), so it runs after that file's tests.
afterAll(() => {
  for (const path of made.splice(0)) rmSync(path, { recursive: true, force: true });
});

/** A fresh directory under the OS temp folder, removed (with everything in it) after the current test file. */
export function tempDir(prefix: string): string {
  const path = mkdtempSync(join(tmpdir(), prefix));
  made.push(path);
  return path;
}

/** A path under the OS temp folder that the caller creates; removed after the current test file if it exists. */
export function tempPath(name: string): string {
  const path = join(tmpdir(), name);
  made.push(path);
  return path;
}
