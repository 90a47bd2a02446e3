import { type FileHandle, mkdir, mkdtemp, open, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { syncDirectory, writeFileAtomic } from '../../src/io/atomic-write.ts';
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

  it('streams an iterable of pieces: about 1 MiB is written before later pieces are made', async () => {
    const directory = await tempDirectory();
    const path = join(directory, 'big.jsonl');
    const piece = 'x'.repeat(300_000);
    let made = 0;
    function* pieces(): Generator<string> {
      for (let i = 0; i < 12; i++) {
        made++;
        yield `${i}${piece}\n`;
      }
    }
    const probe = await open(join(directory, 'probe'), 'w');
    const proto = Object.getPrototypeOf(probe) as FileHandle;
    await probe.close();
    const madeAtWrite: number[] = [];
    const original = proto.write;
    vi.spyOn(proto, 'write').mockImplementation(function (this: FileHandle, ...args: unknown[]) {
      madeAtWrite.push(made);
      return (original as (...a: unknown[]) => unknown).apply(this, args) as never;
    });
    await writeFileAtomic(path, pieces());
    // 12 pieces of 300 kB go out in writes of about 1 MiB each, the first after the 4th piece was made.
    expect(madeAtWrite).toEqual([4, 8, 12]);
    const text = await readFile(path, 'utf8');
    expect(text).toBe(Array.from({ length: 12 }, (_, i) => `${i}${piece}\n`).join(''));
    expect(await readdir(directory)).toEqual(['big.jsonl', 'probe']);
  });
});
