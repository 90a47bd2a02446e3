import { existsSync, lstatSync, mkdirSync, renameSync, rmSync, symlinkSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { installIsolationGuard } from '../../src/isolation/index.ts';
import { escapeContextPerTest } from '../support/escape-context-per-test.ts';

const scope = escapeContextPerTest();

async function guarded(work: () => void): Promise<readonly unknown[]> {
  scope.guard = await installIsolationGuard(scope.context.guardOptions());
  scope.guard.setCurrentTest('harmless');
  try {
    work();
  } catch {
    // The violation list says whether it was refused.
  } finally {
    scope.guard.uninstall();
  }
  const violations = scope.guard.violations();
  scope.guard = undefined;
  return violations;
}

describe('harmless work next to an inbox records no violation (issue 19 false positives)', () => {
  it('mkdirSync recursive on an inbox that exists', async () => {
    const before = scope.context.fingerprint();
    expect(await guarded(() => mkdirSync(scope.context.inbox, { recursive: true }))).toEqual([]);
    expect(scope.context.fingerprint()).toBe(before);
  });

  it('removing a scratch symlink that points into an inbox', async () => {
    const link = join(scope.context.scratch, 'to-inbox');
    symlinkSync(scope.context.inbox, link, 'dir');
    expect(await guarded(() => unlinkSync(link))).toEqual([]);
    expect(existsSync(link)).toBe(false);
    expect(existsSync(scope.context.existingMessage)).toBe(true);
  });

  it('renaming such a link within scratch', async () => {
    const link = join(scope.context.scratch, 'to-message');
    symlinkSync(scope.context.existingMessage, link);
    expect(await guarded(() => renameSync(link, join(scope.context.scratch, 'renamed')))).toEqual([]);
    expect(lstatSync(join(scope.context.scratch, 'renamed')).isSymbolicLink()).toBe(true);
  });

  it('rm -r of a scratch folder that holds such a link', async () => {
    const folder = join(scope.context.scratch, 'folder');
    mkdirSync(folder);
    symlinkSync(scope.context.inbox, join(folder, 'to-inbox'), 'dir');
    const before = scope.context.fingerprint();
    expect(await guarded(() => rmSync(folder, { recursive: true }))).toEqual([]);
    expect(existsSync(folder)).toBe(false);
    expect(scope.context.fingerprint()).toBe(before);
  });
});

describe('and the real writes next to them are still refused', () => {
  it('mkdirSync recursive that creates a directory in an inbox', async () => {
    const violations = await guarded(() =>
      mkdirSync(join(scope.context.inbox, 'new', 'deep'), { recursive: true }),
    );
    expect(violations).toHaveLength(1);
    expect(existsSync(join(scope.context.inbox, 'new'))).toBe(false);
  });

  it('unlinking an inbox message through a scratch link to its directory', async () => {
    const link = join(scope.context.scratch, 'inbox-link');
    symlinkSync(scope.context.inbox, link, 'dir');
    const message = join(link, scope.context.existingMessage.slice(scope.context.inbox.length + 1));
    expect(await guarded(() => unlinkSync(message))).toHaveLength(1);
    expect(existsSync(scope.context.existingMessage)).toBe(true);
  });

  it('rm -r of a link to the workspaces written with a trailing slash (the kernel follows it)', async () => {
    const link = join(scope.context.scratch, 'workspaces-link');
    symlinkSync(scope.context.workspaces, link, 'dir');
    const before = scope.context.fingerprint();
    expect((await guarded(() => rmSync(`${link}/`, { recursive: true }))).length).toBeGreaterThan(0);
    expect(scope.context.fingerprint()).toBe(before);
  });

  it('renaming a scratch file over an inbox message', async () => {
    const before = scope.context.fingerprint();
    expect(
      await guarded(() =>
        renameSync(scope.context.markerScript, join(scope.context.inbox, 'INBOX_MESSAGE_20250101_000000.md')),
      ),
    ).toHaveLength(1);
    expect(existsSync(scope.context.markerScript)).toBe(true);
    expect(scope.context.fingerprint()).toBe(before);
  });
});
