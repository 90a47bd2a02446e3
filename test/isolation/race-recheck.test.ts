import { pbkdf2 } from 'node:crypto';
import * as fs from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { installIsolationGuard } from '../../src/isolation/index.ts';
import { escapeContextPerTest } from '../support/escape-context-per-test.ts';

// A check made in JavaScript before an asynchronous call can be raced: the call waits for Node's thread pool,
// and meanwhile the checked directory becomes a symlink into an inbox. The guard cannot block that; it must find
// it when the call completes, name it, and say it was not blocked.

const scope = escapeContextPerTest();

/** Occupies every thread of the pool (4 by default) for a while, so the next fs call waits in the queue. */
function fillThreadPool(): Promise<unknown> {
  const threads = Number(process.env.UV_THREADPOOL_SIZE ?? 4);
  return Promise.all(
    Array.from(
      { length: threads * 2 },
      () => new Promise((resolve) => pbkdf2('x', 'y', 100_000, 64, 'sha512', resolve)),
    ),
  );
}

/** Replaces the real directory `swap` by a symlink into the inbox, synchronously (before the pool gets there). */
function swapForLink(swap: string): void {
  fs.renameSync(swap, `${swap}-checked`);
  fs.symlinkSync(scope.context.inbox, swap);
}

const cases = [
  {
    api: 'fs.promises.writeFile',
    start: (file: string) => fs.promises.writeFile(file, 'raced'),
  },
  {
    api: 'fs.copyFile',
    start: (file: string) =>
      new Promise<void>((resolve, reject) =>
        fs.copyFile(scope.context.markerScript, file, (error) => (error ? reject(error) : resolve())),
      ),
  },
] as const;

describe('a checked directory swapped for a symlink while the call waits for the thread pool', () => {
  for (const { api, start } of cases) {
    it(`is found when ${api} completes, recorded as raced and not blocked, and named`, async () => {
      const swap = join(scope.context.scratch, 'swap');
      fs.mkdirSync(swap);
      const landed = join(scope.context.inbox, 'INBOX_MESSAGE_race.md');
      scope.guard = await installIsolationGuard(scope.context.guardOptions());
      scope.guard.setCurrentTest('race');
      const pool = fillThreadPool();
      const write = start(join(swap, 'INBOX_MESSAGE_race.md'));
      swapForLink(swap);
      await write;
      await pool;
      const violations = scope.guard.violations();
      scope.guard.uninstall();
      // The attack worked: the file is in the inbox, so the guard could only find it afterwards.
      expect(fs.existsSync(landed), 'the race was not won; the test proves nothing').toBe(true);
      expect(violations).toEqual([
        {
          kind: 'fs-write',
          target: join(swap, 'INBOX_MESSAGE_race.md'),
          api,
          test: 'race',
          blocked: false,
          raced: true,
        },
      ]);
      fs.rmSync(landed);
    });
  }

  it('records nothing when the directory stays what it was', async () => {
    const swap = join(scope.context.scratch, 'kept');
    fs.mkdirSync(swap);
    scope.guard = await installIsolationGuard(scope.context.guardOptions());
    const pool = fillThreadPool();
    await fs.promises.writeFile(join(swap, 'note.md'), 'fine');
    await pool;
    expect(scope.guard.violations()).toEqual([]);
  });
});
