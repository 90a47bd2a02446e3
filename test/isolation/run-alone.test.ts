import { executionAsyncResource } from 'node:async_hooks';
import * as fsNamespace from 'node:fs';
import * as fsPromises from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type IsolationGuard, installIsolationGuard } from '../../src/isolation/index.ts';
import { escapeContextPerTest } from '../support/escape-context-per-test.ts';

const scope = escapeContextPerTest();

const install = async (): Promise<IsolationGuard> => {
  scope.guard = await installIsolationGuard(scope.context.guardOptions({}));
  return scope.guard;
};

/** A refused `mkdir` of an agent's workspace: one violation, blamed on whichever test the guard sees. */
const escapeAs = (agent: string): void => {
  expect(() => fsNamespace.mkdirSync(join(scope.context.workspaces, agent))).toThrow(/protected/);
};

const blame = (guard: IsolationGuard): Record<string, string | undefined> =>
  Object.fromEntries(guard.takeViolations().map((record) => [record.target.split('/').pop(), record.test]));

/** Whether a promise reaction inside `runAlone` of `test` runs untracked, i.e. whether the run was paused. */
async function pausedIn(guard: IsolationGuard, test: string): Promise<boolean> {
  return guard.runInTest(test, () =>
    guard.runAlone(async () => {
      await Promise.resolve();
      return !(executionAsyncResource() instanceof Promise);
    }),
  );
}

/** A few turns of promises, timers and immediates, as a run's work goes through them. */
async function churn(turns: number): Promise<void> {
  for (let i = 0; i < turns; i++) {
    await new Promise((resolve) => setImmediate(resolve));
    await Promise.resolve();
  }
}

describe('runAlone', () => {
  it('blames what a test runs alone on that test, before, during and after it, and on its own work after return', async () => {
    const guard = await install();
    guard.setCurrentTest('global slot');
    await guard.runInTest('T', async () => {
      escapeAs('Agent-1');
      const result = await guard.runAlone(async () => {
        escapeAs('Agent-2');
        await churn(3);
        escapeAs('Agent-3');
        await new Promise((resolve) => setTimeout(resolve, 1));
        escapeAs('Agent-4');
        return 'done';
      });
      expect(result).toBe('done');
      // The caller resumes in its own context: its await was created before tracking paused.
      escapeAs('Agent-5');
      await churn(2);
      escapeAs('Agent-6');
    });
    expect(blame(guard)).toEqual({
      'Agent-1': 'T',
      'Agent-2': 'T',
      'Agent-3': 'T',
      'Agent-4': 'T',
      'Agent-5': 'T',
      'Agent-6': 'T',
    });
  });

  it('pauses per-promise tracking only while its test is the only one running', async () => {
    const guard = await install();
    // With the hook on, a promise reaction runs with the promise as its async resource; with it off, it does not.
    const promiseIsResource = async (): Promise<boolean> => {
      const pending = Promise.resolve();
      await pending;
      return executionAsyncResource() instanceof Promise;
    };
    const alone = await guard.runInTest('T', () => guard.runAlone(promiseIsResource));
    const tracked = await guard.runInTest('T', promiseIsResource);
    let release = (): void => {};
    const other = guard.runInTest('U', () => new Promise<void>((resolve) => (release = resolve)));
    const beside = await guard.runInTest('T', () => guard.runAlone(promiseIsResource));
    release();
    await other;
    expect({ alone, tracked, beside }).toEqual({ alone: false, tracked: true, beside: true });
  });

  it('still names the test of work scheduled before the run: a late timer of A firing during B’s run is A’s', async () => {
    const guard = await install();
    guard.setCurrentTest('global slot');
    let fired: Promise<void> = Promise.resolve();
    await guard.runInTest('A', async () => {
      fired = new Promise<void>((resolve) =>
        setTimeout(() => {
          escapeAs('Agent-1');
          // Its own async continuation stays A's too: created from A's timer while tracking is off.
          void Promise.resolve().then(() => {
            escapeAs('Agent-2');
            resolve();
          });
        }, 5),
      );
    });
    await guard.runInTest('B', () =>
      guard.runAlone(async () => {
        await fired;
        escapeAs('Agent-3');
      }),
    );
    expect(blame(guard)).toEqual({ 'Agent-1': 'A', 'Agent-2': 'A', 'Agent-3': 'B' });
    // A's timer has fired: nothing of A is pending any more, so B's next run is paused.
    expect(await pausedIn(guard, 'B')).toBe(true);
  });

  it('stays tracked while another test’s request or open handle may still call back, and pauses once they are done', async () => {
    const guard = await install();
    let readDone: Promise<void> = Promise.resolve();
    let server: Server | undefined;
    await guard.runInTest('A', async () => {
      // Left pending by A: a file read whose continuation escapes, and a listening server.
      readDone = (async () => {
        await fsPromises.readFile(import.meta.filename ?? new URL(import.meta.url).pathname);
        escapeAs('Agent-1');
      })();
      server = createServer();
      await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
    });
    const during = await guard.runInTest('B', () =>
      guard.runAlone(async () => {
        await readDone;
        return !(executionAsyncResource() instanceof Promise);
      }),
    );
    expect(during).toBe(false);
    expect(blame(guard)).toEqual({ 'Agent-1': 'A' });
    expect(await pausedIn(guard, 'B')).toBe(false);
    await new Promise<void>((resolve) => server?.close(() => resolve()));
    // The handle is closing until the loop's close phase: still pending, then done.
    expect(await pausedIn(guard, 'B')).toBe(false);
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(await pausedIn(guard, 'B')).toBe(true);
  });

  it('tells concurrent tests apart: with two in flight nothing is paused', async () => {
    const guard = await install();
    const run = (test: string, agent: string, turns: number) =>
      guard.runInTest(test, () =>
        guard.runAlone(async () => {
          await churn(turns);
          escapeAs(agent);
          await churn(1);
        }),
      );
    await Promise.all([run('T', 'Agent-1', 3), run('U', 'Agent-2', 1), run('U', 'Agent-3', 4)]);
    expect(blame(guard)).toEqual({ 'Agent-1': 'T', 'Agent-2': 'U', 'Agent-3': 'U' });
  });

  it('resumes tracking when another test starts during a paused run, and keeps each side’s blame', async () => {
    const guard = await install();
    let started = (): void => {};
    const otherStarted = new Promise<void>((resolve) => (started = resolve));
    let finishOther = (): void => {};
    const mayFinish = new Promise<void>((resolve) => (finishOther = resolve));
    const t = guard.runInTest('T', () =>
      guard.runAlone(async () => {
        await churn(1);
        started();
        await churn(2);
        escapeAs('Agent-1');
        finishOther();
        await churn(2);
        escapeAs('Agent-2');
      }),
    );
    await otherStarted;
    const u = guard.runInTest('U', async () => {
      await churn(1);
      escapeAs('Agent-3');
      await mayFinish;
      escapeAs('Agent-4');
    });
    await Promise.all([t, u]);
    expect(blame(guard)).toEqual({ 'Agent-1': 'T', 'Agent-2': 'T', 'Agent-3': 'U', 'Agent-4': 'U' });
  });

  it('keeps a test’s second parallel run paused until the last one returns', async () => {
    const guard = await install();
    guard.setCurrentTest('global slot');
    await guard.runInTest('T', async () => {
      await Promise.all([
        guard.runAlone(() => churn(1)),
        guard.runAlone(async () => {
          await churn(4);
          escapeAs('Agent-1');
        }),
      ]);
    });
    expect(blame(guard)).toEqual({ 'Agent-1': 'T' });
  });

  it('settles like the run it wraps, rejections included, and leaves tracking on afterwards', async () => {
    const guard = await install();
    await guard.runInTest('T', async () => {
      await expect(guard.runAlone(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
      await expect(
        guard.runAlone(() => {
          throw new Error('sync');
        }),
      ).rejects.toThrow('sync');
      await Promise.resolve();
      expect(executionAsyncResource()).toBeInstanceOf(Promise);
    });
  });

  it('simply runs outside any test, and after uninstall', async () => {
    const guard = await install();
    guard.setCurrentTest('global slot');
    await guard.runAlone(async () => {
      await churn(1);
      escapeAs('Agent-1');
    });
    expect(blame(guard)).toEqual({ 'Agent-1': 'global slot' });
    guard.uninstall();
    await expect(guard.runInTest('T', () => guard.runAlone(async () => 7))).resolves.toBe(7);
  });
});
