import { existsSync, lstatSync, mkdirSync, renameSync, rmSync, symlinkSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createEscapeContext, type EscapeContext } from '../../fixtures/isolation/index.ts';
import { type IsolationGuard, installIsolationGuard } from '../../src/isolation/index.ts';

let context: EscapeContext;
let guard: IsolationGuard | undefined;

beforeEach(async () => {
  context = await createEscapeContext();
});

afterEach(async () => {
  guard?.uninstall();
  guard = undefined;
  await context.close();
});

async function guarded(work: () => void): Promise<readonly unknown[]> {
  guard = await installIsolationGuard(context.guardOptions());
  guard.setCurrentTest('harmless');
  try {
    work();
  } catch {
    // The violation list says whether it was refused.
  } finally {
    guard.uninstall();
  }
  const violations = guard.violations();
  guard = undefined;
  return violations;
}

describe('harmless work next to an inbox records no violation (issue 19 false positives)', () => {
  it('mkdirSync recursive on an inbox that exists', async () => {
    const before = context.fingerprint();
    expect(await guarded(() => mkdirSync(context.inbox, { recursive: true }))).toEqual([]);
    expect(context.fingerprint()).toBe(before);
  });

  it('removing a scratch symlink that points into an inbox', async () => {
    const link = join(context.scratch, 'to-inbox');
    symlinkSync(context.inbox, link, 'dir');
    expect(await guarded(() => unlinkSync(link))).toEqual([]);
    expect(existsSync(link)).toBe(false);
    expect(existsSync(context.existingMessage)).toBe(true);
  });

  it('renaming such a link within scratch', async () => {
    const link = join(context.scratch, 'to-message');
    symlinkSync(context.existingMessage, link);
    expect(await guarded(() => renameSync(link, join(context.scratch, 'renamed')))).toEqual([]);
    expect(lstatSync(join(context.scratch, 'renamed')).isSymbolicLink()).toBe(true);
  });

  it('rm -r of a scratch folder that holds such a link', async () => {
    const folder = join(context.scratch, 'folder');
    mkdirSync(folder);
    symlinkSync(context.inbox, join(folder, 'to-inbox'), 'dir');
    const before = context.fingerprint();
    expect(await guarded(() => rmSync(folder, { recursive: true }))).toEqual([]);
    expect(existsSync(folder)).toBe(false);
    expect(context.fingerprint()).toBe(before);
  });
});

describe('and the real writes next to them are still refused', () => {
  it('mkdirSync recursive that creates a directory in an inbox', async () => {
    const violations = await guarded(() =>
      mkdirSync(join(context.inbox, 'new', 'deep'), { recursive: true }),
    );
    expect(violations).toHaveLength(1);
    expect(existsSync(join(context.inbox, 'new'))).toBe(false);
  });

  it('unlinking an inbox message through a scratch link to its directory', async () => {
    const link = join(context.scratch, 'inbox-link');
    symlinkSync(context.inbox, link, 'dir');
    const message = join(link, context.existingMessage.slice(context.inbox.length + 1));
    expect(await guarded(() => unlinkSync(message))).toHaveLength(1);
    expect(existsSync(context.existingMessage)).toBe(true);
  });

  it('rm -r of a link to the workspaces written with a trailing slash (the kernel follows it)', async () => {
    const link = join(context.scratch, 'workspaces-link');
    symlinkSync(context.workspaces, link, 'dir');
    const before = context.fingerprint();
    expect((await guarded(() => rmSync(`${link}/`, { recursive: true }))).length).toBeGreaterThan(0);
    expect(context.fingerprint()).toBe(before);
  });

  it('renaming a scratch file over an inbox message', async () => {
    const before = context.fingerprint();
    expect(
      await guarded(() =>
        renameSync(context.markerScript, join(context.inbox, 'INBOX_MESSAGE_20250101_000000.md')),
      ),
    ).toHaveLength(1);
    expect(existsSync(context.markerScript)).toBe(true);
    expect(context.fingerprint()).toBe(before);
  });
});
