import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { syncDirectory, writeFileAtomic } from '../../src/node/atomic-write.ts';
import { StressError } from '../../src/protocol/index.ts';

const directories: string[] = [];

async function tempDirectory(): Promise<string> {
  const directory = await mkdtemp(join(tmpdir(), 'vitest-stress-atomic-'));
  directories.push(directory);
  return directory;
}

afterEach(async () => {
  vi.restoreAllMocks();
  await Promise.all(directories.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

async function ioError(promise: Promise<unknown>): Promise<StressError> {
  try {
    await promise;
  } catch (error) {
    if (StressError.is(error, 'ERR_IO')) return error;
    throw error;
  }
  throw new Error('expected ERR_IO');
}

describe('writeFileAtomic', () => {
  it('writes or replaces the whole file and leaves no temp file', async () => {
    const directory = await tempDirectory();
    const path = join(directory, 'metrics.json');
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.string({ unit: 'grapheme' }), fc.uint8Array()), async (data) => {
        await writeFileAtomic(path, data);
        const written = await readFile(path);
        expect(written.equals(typeof data === 'string' ? Buffer.from(data) : Buffer.from(data))).toBe(true);
        expect(await readdir(directory)).toEqual(['metrics.json']);
      }),
      { numRuns: 25 },
    );
  });

  it('keeps the old file and removes the temp file when the rename fails', async () => {
    const directory = await tempDirectory();
    const path = join(directory, 'target');
    await mkdir(path);
    await writeFile(join(path, 'inside'), 'old');
    const error = await ioError(writeFileAtomic(path, 'new'));
    expect(error.message).toContain(`\`${path}\``);
    expect(error.cause).toMatchObject({ code: expect.stringMatching(/EISDIR|ENOTEMPTY|EEXIST|EPERM/) });
    expect((await readdir(directory)).sort()).toEqual(['target']);
    expect(await readFile(join(path, 'inside'), 'utf8')).toBe('old');
  });

  it('reports a missing directory as ERR_IO naming the path', async () => {
    const directory = await tempDirectory();
    const path = join(directory, 'missing', 'file.json');
    expect((await ioError(writeFileAtomic(path, '{}'))).details).toEqual({ path });
  });

  it('fsyncs a directory', async () => {
    const directory = await tempDirectory();
    await expect(syncDirectory(directory)).resolves.toBeUndefined();
    await expect(syncDirectory(join(directory, 'nope'))).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
