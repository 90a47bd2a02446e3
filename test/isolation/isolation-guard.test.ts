import * as childProcessNamespace from 'node:child_process';
import * as fsNamespace from 'node:fs';
import { existsSync } from 'node:fs';
import * as fsPromisesNamespace from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import * as workerThreadsNamespace from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import {
  getActiveIsolationGuard,
  type IsolationGuard,
  installIsolationGuard,
  isIsolationViolation,
} from '../../src/isolation/index.ts';
import { escapeContextPerTest } from '../support/escape-context-per-test.ts';

const require = createRequire(import.meta.url);
const THIS_FILE = new URL(import.meta.url).pathname;

/** The CommonJS export objects, which the guard patches. */
const modules = {
  fs: require('node:fs') as Record<string, unknown>,
  fsPromises: require('node:fs/promises') as Record<string, unknown>,
  childProcess: require('node:child_process') as Record<string, unknown>,
  net: require('node:net') as Record<string, unknown>,
  http: require('node:http') as Record<string, unknown>,
  workerThreads: require('node:worker_threads') as Record<string, unknown>,
  module: require('node:module') as Record<string, unknown>,
};

/** Written independently of the guard's own tables, so a function it forgets to restore is caught. */
const WATCHED: readonly (readonly [object, string])[] = [
  ...[
    'writeFile',
    'appendFile',
    'open',
    'rename',
    'copyFile',
    'mkdir',
    'rm',
    'unlink',
    'symlink',
    'truncate',
    'utimes',
  ]
    .flatMap((name) => [name, `${name}Sync`])
    .map((name) => [modules.fs, name] as const),
  [modules.fs, 'createWriteStream'],
  [modules.fs, 'write'],
  [modules.fs, 'writeSync'],
  ...['writeFile', 'appendFile', 'open', 'rename', 'rm', 'unlink', 'mkdir'].map(
    (name) => [modules.fsPromises, name] as const,
  ),
  ...['spawn', 'spawnSync', 'exec', 'execSync', 'execFile', 'execFileSync', 'fork'].map(
    (name) => [modules.childProcess, name] as const,
  ),
  [modules.net, 'connect'],
  [(modules.net.Socket as { prototype: object }).prototype, 'connect'],
  [modules.http, 'request'],
  [modules.http, 'get'],
  [modules.workerThreads, 'Worker'],
  [modules.module, '_load'],
  [globalThis, 'fetch'],
];

const scope = escapeContextPerTest();

const install = async (
  options: Parameters<typeof installIsolationGuard>[0] = {},
): Promise<IsolationGuard> => {
  scope.guard = await installIsolationGuard(scope.context.guardOptions(options));
  return scope.guard;
};

describe('installIsolationGuard / uninstall', () => {
  it('patches every watched function while installed and restores each original afterwards', async () => {
    const originals = WATCHED.map(([target, key]) => (target as Record<string, unknown>)[key]);
    const installed = await install();
    const during = WATCHED.map(([target, key]) => (target as Record<string, unknown>)[key]);
    installed.uninstall();
    WATCHED.forEach(([, key], index) => {
      expect(during[index], `${key} patched`).not.toBe(originals[index]);
      expect((WATCHED[index]![0] as Record<string, unknown>)[key], `${key} restored`).toBe(originals[index]);
    });
  });

  it('restores every property the guard reports having patched', async () => {
    const first = await install();
    const patched = first.patchedProperties();
    first.uninstall();
    const value = ({ target, key }: { target: object; key: PropertyKey }): unknown =>
      (target as Record<PropertyKey, unknown>)[key];
    const originals = patched.map(value);
    expect(patched.length).toBeGreaterThan(WATCHED.length);
    const second = await install();
    for (const [index, property] of patched.entries()) {
      expect(value(property), String(property.key)).not.toBe(originals[index]);
    }
    second.uninstall();
    for (const [index, property] of patched.entries()) {
      expect(value(property), String(property.key)).toBe(originals[index]);
    }
  });

  it('carries patches to ESM named bindings (syncBuiltinESMExports) and takes them back', async () => {
    const original = {
      writeFileSync: fsNamespace.writeFileSync,
      writeFile: fsPromisesNamespace.writeFile,
      spawn: childProcessNamespace.spawn,
      Worker: workerThreadsNamespace.Worker,
    };
    const installed = await install();
    expect(fsNamespace.writeFileSync).toBe(modules.fs.writeFileSync);
    expect(fsNamespace.writeFileSync).not.toBe(original.writeFileSync);
    expect(fsPromisesNamespace.writeFile).not.toBe(original.writeFile);
    expect(childProcessNamespace.spawn).not.toBe(original.spawn);
    expect(workerThreadsNamespace.Worker).not.toBe(original.Worker);
    installed.uninstall();
    expect({
      writeFileSync: fsNamespace.writeFileSync,
      writeFile: fsPromisesNamespace.writeFile,
      spawn: childProcessNamespace.spawn,
      Worker: workerThreadsNamespace.Worker,
    }).toEqual(original);
    expect(fsNamespace.writeFileSync).toBe(original.writeFileSync);
  });

  it('allows one guard per process, shares it through the registry, and can be installed again', async () => {
    const first = await install();
    expect(getActiveIsolationGuard()).toBe(first);
    await expect(installIsolationGuard()).rejects.toMatchObject({ code: 'ERR_GUARD_INSTALLED' });
    first.uninstall();
    first.uninstall();
    expect(first.installed).toBe(false);
    expect(getActiveIsolationGuard()).toBeUndefined();
    const second = await install();
    expect(second.installed).toBe(true);
  });

  it('leaves a function captured during the run inert afterwards, and obeying the next guard', async () => {
    const file = join(scope.context.inbox, 'captured.md');
    const first = await install();
    const captured = fsNamespace.writeFileSync;
    first.uninstall();
    captured(file, 'written after uninstall');
    expect(fsNamespace.readFileSync(file, 'utf8')).toBe('written after uninstall');
    expect(first.violations()).toEqual([]);
    const second = await install();
    expect(() => captured(file, 'again')).toThrow(/protected paths/);
    expect(second.violations()).toHaveLength(1);
  });
});

describe('violations', () => {
  it('name the kind, target, api, test and the user frame, and are handed out per test', async () => {
    const installed = await install({ currentTest: () => 'from the option' });
    const file = join(scope.context.inbox, 'a.md');
    expect(() => fsNamespace.writeFileSync(file, 'x')).toThrow();
    installed.setCurrentTest('explicit test');
    expect(() => fsNamespace.mkdirSync(join(scope.context.workspaces, 'Agent-7'))).toThrow();
    const [first, second] = installed.takeViolations();
    expect(first).toMatchObject({
      kind: 'fs-write',
      target: file,
      api: 'fs.writeFileSync',
      test: 'from the option',
    });
    expect(second).toMatchObject({ api: 'fs.mkdirSync', test: 'explicit test' });
    expect(first?.frame).toMatch(new RegExp(`^${THIS_FILE}:\\d+:\\d+$`));
    expect(installed.takeViolations()).toEqual([]);
    expect(installed.violations()).toHaveLength(2);
  });

  it('are blamed on the test whose async context scheduled the work, not on the test running when it fires', async () => {
    const installed = await install();
    installed.setCurrentTest('global slot');
    const file = join(scope.context.inbox, 'late.md');
    let scheduled: Promise<void> = Promise.resolve();
    installed.runInTest('test A', () => {
      scheduled = new Promise<void>((resolve) =>
        setTimeout(() => {
          expect(() => fsNamespace.writeFileSync(file, 'x')).toThrow();
          resolve();
        }, 0),
      );
    });
    await installed.runInTest('test B', async () => {
      await scheduled;
      expect(() => fsNamespace.mkdirSync(join(scope.context.workspaces, 'Agent-8'))).toThrow();
    });
    expect(() => fsNamespace.writeFileSync(join(scope.context.inbox, 'outside.md'), 'x')).toThrow();
    const of = (test: string) => (record: { test?: string }) => record.test === test;
    expect(installed.takeViolations(of('test B')).map((record) => record.api)).toEqual(['fs.mkdirSync']);
    expect(installed.takeViolations(of('test A'))).toEqual([
      expect.objectContaining({ target: file, test: 'test A', blocked: true }),
    ]);
    expect(installed.takeViolations()).toEqual([expect.objectContaining({ test: 'global slot' })]);
    expect(existsSync(file)).toBe(false);
  });

  it('keep what a selection leaves, in order, for whoever collects the rest (observe mode too)', async () => {
    const installed = await install({ mode: 'observe' });
    fsNamespace.mkdirSync(join(scope.context.workspaces, 'Agent-9'));
    installed.setCurrentTest('named');
    fsNamespace.mkdirSync(join(scope.context.workspaces, 'Agent-10'));
    expect(installed.takeViolations((record) => record.test === 'some test')).toEqual([]);
    expect(installed.takeViolations()).toEqual([
      expect.objectContaining({ api: 'fs.mkdirSync', blocked: false }),
      expect.objectContaining({ api: 'fs.mkdirSync', blocked: false, test: 'named' }),
    ]);
  });

  it('are thrown as coded IsolationViolation errors whose message says what, where and how to fix it', async () => {
    const installed = await install();
    installed.setCurrentTest('delivers');
    let caught: unknown;
    try {
      fsNamespace.writeFileSync(join(scope.context.inbox, 'b.md'), 'x');
    } catch (error) {
      caught = error;
    }
    expect(isIsolationViolation(caught)).toBe(true);
    expect(caught).toMatchObject({
      code: 'ERR_ISOLATION_VIOLATION',
      details: { kind: 'fs-write', test: 'delivers' },
    });
    expect(String((caught as Error).message)).toMatch(
      /^\[vitest-stress\] Expected no writes under protected paths during a stress run, got `fs.writeFileSync` writing `.*b\.md` in test "delivers" at .*isolation-guard\.test\.ts:\d+:\d+\. It was blocked\./,
    );
  });

  it('enforce() records attempts found elsewhere and throws them in block mode', async () => {
    const installed = await install();
    expect(() =>
      installed.enforce({ kind: 'module', target: 'robotjs', api: 'vite:resolveId', frame: '/x.ts:1:1' }),
    ).toThrow(/loading `robotjs`/);
    expect(installed.violations()).toEqual([
      { kind: 'module', target: 'robotjs', api: 'vite:resolveId', frame: '/x.ts:1:1', blocked: true },
    ]);
  });
});

describe('observe mode', () => {
  it('records each escape once and lets it happen', async () => {
    const installed = await install({ mode: 'observe' });
    const file = join(scope.context.inbox, 'observed.md');
    fsNamespace.writeFileSync(file, 'written');
    await new Promise<void>((resolve, reject) => {
      const stream = fsNamespace.createWriteStream(join(scope.context.inbox, 'stream.md'));
      stream.on('error', reject);
      stream.write('one');
      stream.end('two', resolve);
    });
    const child = childProcessNamespace.spawn(process.execPath, ['-e', scope.context.markerCode]);
    await new Promise((resolve) => child.on('exit', resolve));
    installed.enforce({ kind: 'module', target: 'robotjs', api: 'vite:resolveId' });
    expect(fsNamespace.readFileSync(file, 'utf8')).toBe('written');
    expect(fsNamespace.readFileSync(join(scope.context.inbox, 'stream.md'), 'utf8')).toBe('onetwo');
    expect(fsNamespace.existsSync(scope.context.marker)).toBe(true);
    expect(installed.violations().map(({ api, blocked }) => ({ api, blocked }))).toEqual([
      { api: 'fs.writeFileSync', blocked: false },
      { api: 'fs.createWriteStream', blocked: false },
      { api: 'child_process.spawn', blocked: false },
      { api: 'vite:resolveId', blocked: false },
    ]);
  });
});

describe('options', () => {
  it('allowNetwork leaves the network untouched', async () => {
    const before = {
      fetch: globalThis.fetch,
      request: modules.http.request,
      spawn: modules.childProcess.spawn,
    };
    await install({ allowNetwork: true });
    expect(globalThis.fetch).toBe(before.fetch);
    expect(modules.http.request).toBe(before.request);
    expect(modules.childProcess.spawn).not.toBe(before.spawn);
  });

  it('forbids user-configured modules, built-ins included', async () => {
    const installed = await install({ forbiddenModules: ['node:child_process'] });
    const bareName = 'child_process';
    expect(() => require(bareName)).toThrow(/loading `child_process`/);
    expect(() => require('node:path')).not.toThrow();
    expect(installed.violations()).toMatchObject([
      { kind: 'module', target: 'child_process', api: 'require' },
    ]);
  });

  it('guards a global WebSocket when the runtime has one, and puts it back', async () => {
    class FakeWebSocket {
      constructor(readonly url: string) {}
    }
    const global = globalThis as { WebSocket?: unknown };
    const previous = global.WebSocket;
    global.WebSocket = FakeWebSocket;
    try {
      const installed = await install();
      const Guarded = global.WebSocket as typeof FakeWebSocket;
      expect(() => new Guarded('wss://agents.example:8443/chat')).toThrow(
        /connecting to `agents.example:8443`/,
      );
      installed.uninstall();
      expect(global.WebSocket).toBe(FakeWebSocket);
    } finally {
      if (previous === undefined) delete global.WebSocket;
      else global.WebSocket = previous;
    }
  });
});
