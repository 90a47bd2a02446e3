import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { createPathPolicy } from '../../src/isolation/index.ts';
import { pathArgument, realLocation } from '../../src/isolation/path-policy.ts';

/** A root that does not exist, so only lexical rules apply. */
const ROOT = resolve('/nonexistent-vitest-stress/project');
const WORKSPACES = join(ROOT, 'agent_workspaces');

describe('createPathPolicy', () => {
  const policy = createPathPolicy([WORKSPACES], [join(ROOT, 'logs'), join(WORKSPACES, '.stress-scratch')]);

  it('refuses paths under a protected root and nothing else', () => {
    expect(policy.check(join(WORKSPACES, 'Agent-1', 'inbox', 'm.md'), false)).toBe(
      join(WORKSPACES, 'Agent-1', 'inbox', 'm.md'),
    );
    expect(policy.check(WORKSPACES, false)).toBe(WORKSPACES);
    expect(policy.check(join(ROOT, 'src', 'x.ts'), false)).toBeUndefined();
    expect(policy.check(`${WORKSPACES}2${sep}x`, false)).toBeUndefined();
  });

  it('resolves ".." before deciding, so traversal cannot leave the check', () => {
    expect(policy.check(`${ROOT}/logs/../agent_workspaces/a.md`, false)).toBe(join(WORKSPACES, 'a.md'));
    expect(policy.check(`${WORKSPACES}/../logs/a.md`, false)).toBeUndefined();
  });

  it('lets the deepest root decide: an allowed path carves out a subdirectory but never unprotects one below it', () => {
    expect(policy.check(join(WORKSPACES, '.stress-scratch', 'q.log'), false)).toBeUndefined();
    const nested = createPathPolicy([WORKSPACES, join(WORKSPACES, '.stress-scratch', 'keep')], [ROOT]);
    expect(nested.check(join(ROOT, 'anything'), false)).toBeUndefined();
    expect(nested.check(join(WORKSPACES, 'a.md'), false)).toBe(join(WORKSPACES, 'a.md'));
    expect(nested.check(join(WORKSPACES, '.stress-scratch', 'keep', 'a'), false)).toBeDefined();
  });

  it('refuses removing or moving a directory that contains a protected root only for destructive operations', () => {
    expect(policy.check(ROOT, true)).toBe(ROOT);
    expect(policy.check(ROOT, false)).toBeUndefined();
    expect(policy.check(join(ROOT, 'logs'), true)).toBeUndefined();
  });

  it('accepts the path forms Node does: strings, Buffers, file URLs; ignores the rest', () => {
    const file = join(WORKSPACES, 'b.md');
    expect(policy.check(Buffer.from(file), false)).toBe(file);
    expect(policy.check(pathToFileURL(file), false)).toBe(file);
    expect(pathArgument(new URL('https://example.com/x'))).toBeUndefined();
    expect(policy.check(7, false)).toBeUndefined();
  });

  it('agrees with a lexical model for any relative path, including "." and ".." segments', () => {
    const segment = fc.constantFrom('..', '.', 'agent_workspaces', 'Agent-1', 'inbox', 'logs', 'x');
    fc.assert(
      fc.property(fc.array(segment, { maxLength: 8 }), (segments) => {
        const plain = createPathPolicy([WORKSPACES], []);
        const target = resolve(ROOT, ...segments);
        const underRoot = target === WORKSPACES || target.startsWith(WORKSPACES + sep);
        expect(plain.check(join(ROOT, ...segments), false) !== undefined).toBe(underRoot);
      }),
    );
  });
});

describe('createPathPolicy on a real tree with symlinks', () => {
  const root = realpathSync(mkdtempSync(join(tmpdir(), 'vitest-stress-policy-')));
  const workspaces = join(root, 'agent_workspaces');
  mkdirSync(join(workspaces, 'Agent-1'), { recursive: true });
  mkdirSync(join(root, 'scratch'));
  symlinkSync(workspaces, join(root, 'scratch', 'link'), 'dir');
  symlinkSync(join(root, 'scratch'), join(workspaces, 'outward'), 'dir');
  const policy = createPathPolicy([workspaces], []);

  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('refuses a write that lands in a protected root through a symlinked directory', () => {
    const viaLink = join(root, 'scratch', 'link', 'Agent-1', 'new.md');
    expect(realLocation(viaLink)).toBe(join(workspaces, 'Agent-1', 'new.md'));
    expect(policy.check(viaLink, false)).toBe(viaLink);
  });

  it('still refuses a path written under the protected root even if it leads outside', () => {
    expect(policy.check(join(workspaces, 'outward', 'x'), false)).toBe(join(workspaces, 'outward', 'x'));
    expect(policy.check(join(root, 'scratch', 'x'), false)).toBeUndefined();
  });
});

describe('createPathPolicy with an allowed path that is a symlink into a protected root (issue 19)', () => {
  const root = realpathSync(mkdtempSync(join(tmpdir(), 'vitest-stress-policy-')));
  const inbox = join(root, 'agent_workspaces', 'Agent-1', 'inbox');
  mkdirSync(inbox, { recursive: true });
  mkdirSync(join(root, 'real-logs'));
  symlinkSync(inbox, join(root, 'logs'), 'dir');
  symlinkSync(join(root, 'real-logs'), join(root, 'linked-logs'), 'dir');

  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('refuses the allowance with a coded error naming where it really leads', () => {
    expect(() => createPathPolicy([join(root, 'agent_workspaces')], [join(root, 'logs')])).toThrow(
      expect.objectContaining({ code: 'ERR_INVALID_OPTION', message: expect.stringContaining(inbox) }),
    );
  });

  it('accepts a symlinked allowance that leads outside every protected root, and a plain carve-out', () => {
    const policy = createPathPolicy(
      [join(root, 'agent_workspaces')],
      [join(root, 'linked-logs'), join(root, 'agent_workspaces', '.stress-scratch')],
    );
    expect(policy.check(join(root, 'linked-logs', 'run.json'), false)).toBeUndefined();
    expect(policy.check(join(root, 'agent_workspaces', '.stress-scratch', 'x'), false)).toBeUndefined();
    expect(policy.check(join(inbox, 'x.md'), false)).toBe(join(inbox, 'x.md'));
  });
});
