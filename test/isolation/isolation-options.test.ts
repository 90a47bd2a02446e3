import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_PROTECTED_DIRECTORIES,
  ISOLATION_TEMP_DIRECTORY,
  resolveIsolationOptions,
} from '../../src/isolation/index.ts';

describe('resolveIsolationOptions', () => {
  it('blocks by default, protects the workspaces and the production queue, and allows logs and its temp dir', () => {
    const resolved = resolveIsolationOptions({ root: '/project' });
    expect(resolved).toMatchObject({
      mode: 'block',
      root: resolve('/project'),
      protectedPaths: DEFAULT_PROTECTED_DIRECTORIES.map((directory) => resolve('/project', directory)),
      allowedPaths: [resolve('/project/logs'), ISOLATION_TEMP_DIRECTORY],
      allowNetwork: false,
      esmImportHook: true,
      currentTest: undefined,
    });
    expect(resolveIsolationOptions().root).toBe(process.cwd());
  });

  it('adds inbox roots and user paths to the defaults, relative to the root', () => {
    const resolved = resolveIsolationOptions({
      root: '/project',
      inboxRoots: ['inboxes'],
      protectedPaths: ['/srv/agents'],
      allowedPaths: ['out'],
    });
    expect(resolved.protectedPaths).toEqual([
      resolve('/project/agent_workspaces'),
      resolve('/project/message_queue'),
      resolve('/project/inboxes'),
      resolve('/srv/agents'),
    ]);
    expect(resolved.allowedPaths).toEqual([resolve('/project/out')]);
  });

  it.each([
    [{ mode: 'strict' }, /Expected `mode` to be "block" or "observe", got "strict" \(string\)/],
    [{ root: '' }, /Expected `root` to be a non-empty path/],
    [{ protectedPaths: 'agent_workspaces' }, /Expected `protectedPaths` to be an array of non-empty strings/],
    [{ allowedPaths: [''] }, /Expected `allowedPaths` to be an array of non-empty strings/],
    [{ forbiddenModules: [1] }, /Expected `forbiddenModules` to be an array/],
    [{ allowNetwork: 'yes' }, /Expected `allowNetwork` to be a boolean/],
    [{ esmImportHook: 1 }, /Expected `esmImportHook` to be a boolean/],
    [{ currentTest: 'name' }, /Expected `currentTest` to be a function/],
  ])('rejects %j', (options, message) => {
    expect(() => resolveIsolationOptions(options as never)).toThrow(message);
    expect(() => resolveIsolationOptions(options as never)).toThrow(
      expect.objectContaining({ code: 'ERR_INVALID_OPTION' }),
    );
  });
});
