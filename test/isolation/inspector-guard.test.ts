import * as inspectorNamespace from 'node:inspector';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { type IsolationGuard, installIsolationGuard } from '../../src/isolation/index.ts';
import { escapeContextPerTest } from '../support/escape-context-per-test.ts';

const require = createRequire(import.meta.url);
const inspector = require('node:inspector') as typeof import('node:inspector');
const promises = require('node:inspector/promises') as typeof import('node:inspector/promises');

/** Written independently of the guard's own list, so a property it forgets to restore is caught. */
const WATCHED: readonly (readonly [object, string])[] = [
  [inspector, 'open'],
  [inspector, 'waitForDebugger'],
  [promises, 'open'],
  [promises, 'waitForDebugger'],
  [inspector.Session.prototype, 'connect'],
  [inspector.Session.prototype, 'connectToMainThread'],
];

const scope = escapeContextPerTest();

const install = async (): Promise<IsolationGuard> => {
  scope.guard = await installIsolationGuard(scope.context.guardOptions());
  return scope.guard;
};

describe('node:inspector under the guard', () => {
  it('patches open, waitForDebugger and Session connects and restores each (===), ESM named exports too', async () => {
    const value = ([target, key]: readonly [object, string]): unknown =>
      (target as Record<string, unknown>)[key];
    const originals = WATCHED.map(value);
    const { open, url } = inspectorNamespace;
    const installed = await install();
    for (const [index, property] of WATCHED.entries()) {
      expect(value(property), property[1]).not.toBe(originals[index]);
    }
    expect(inspectorNamespace.open).not.toBe(open);
    expect(inspectorNamespace.url).toBe(url);
    installed.uninstall();
    for (const [index, property] of WATCHED.entries()) {
      expect(value(property), property[1]).toBe(originals[index]);
    }
    expect(inspectorNamespace.open).toBe(open);
  });

  it('refuses open, waitForDebugger and both Session kinds, naming the call', async () => {
    const installed = await install();
    expect(() => inspector.open(9230, '0.0.0.0')).toThrow(/`inspector.open` opening `0.0.0.0:9230`/);
    expect(() => promises.waitForDebugger()).toThrow(/inspector.waitForDebugger/);
    expect(() => new promises.Session().connect()).toThrow(/inspector.Session.connect/);
    expect(() => new inspector.Session().connectToMainThread()).toThrow(/connectToMainThread/);
    expect(installed.violations().map(({ kind, api }) => `${kind} ${api}`)).toEqual([
      'native inspector.open',
      'native inspector.waitForDebugger',
      'native inspector.Session.connect',
      'native inspector.Session.connectToMainThread',
    ]);
    expect(inspector.url()).toBeUndefined();
  });

  it('keeps a session connected before the guard working (as coverage tools use it)', async () => {
    const session = new promises.Session();
    session.connect();
    try {
      const installed = await install();
      const reply = await session.post('Runtime.evaluate', { expression: '6 * 7' });
      expect(reply.result.value).toBe(42);
      expect(installed.violations()).toEqual([]);
    } finally {
      session.disconnect();
    }
  });
});
