import { resolve } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FORBIDDEN_MODULE_MATCHER_SOURCE } from '../../src/isolation/esm-hook-source.ts';
import {
  type ForbiddenModuleRules,
  forbiddenModuleRules,
  GUI_AUTOMATION_MODULES,
  isForbiddenModule,
  matchForbiddenModule,
  realCoreModulePaths,
  resolveIsolationOptions,
} from '../../src/isolation/index.ts';

const REPO = resolve(import.meta.dirname, '../..');
const rules = forbiddenModuleRules(REPO, [
  'node:child_process',
  './fixtures/isolation/support/forbidden-delivery.ts',
]);

describe('matchForbiddenModule', () => {
  it('matches GUI automation packages by specifier, scope and subpath included', () => {
    expect(GUI_AUTOMATION_MODULES).toEqual(expect.arrayContaining(['@nut-tree/nut-js', 'robotjs']));
    expect(matchForbiddenModule('robotjs', undefined, rules)).toBe('robotjs');
    expect(matchForbiddenModule('@nut-tree/nut-js/dist/lib', undefined, rules)).toBe('@nut-tree/nut-js');
    expect(matchForbiddenModule('robotjs-helper', undefined, rules)).toBeUndefined();
    expect(matchForbiddenModule('@nut-tree/other', undefined, rules)).toBeUndefined();
  });

  it('matches a file inside a forbidden package whatever the specifier was', () => {
    expect(matchForbiddenModule('./alias', '/p/node_modules/robotjs/index.js', rules)).toBe('robotjs');
    expect(matchForbiddenModule('x', '/p/node_modules/robotjs-helper/index.js', rules)).toBeUndefined();
  });

  it('matches the real InboxMessagingCore in the sources and in the build, with any extension', () => {
    expect(realCoreModulePaths()).toEqual(
      expect.arrayContaining([
        resolve(REPO, 'src/inbox/inbox-messaging-core'),
        resolve(REPO, 'dist/inbox/inbox-messaging-core'),
      ]),
    );
    for (const file of ['src/inbox/inbox-messaging-core.ts', 'dist/inbox/inbox-messaging-core.js']) {
      const path = resolve(REPO, file);
      expect(matchForbiddenModule('../inbox/inbox-messaging-core.ts', path, rules)).toBe(path);
    }
    const neighbour = resolve(REPO, 'src/inbox/inbox-messaging-core-options.ts');
    expect(matchForbiddenModule('./x.ts', neighbour, rules)).toBeUndefined();
  });

  it('matches the production entry that exports the real core (`vitest-stress/production`), and not its neighbours', () => {
    for (const file of ['src/production.ts', 'dist/production.js', 'dist/production.d.ts']) {
      const path = resolve(REPO, file);
      expect(matchForbiddenModule('vitest-stress/production', path, rules)).toBe(path);
    }
    expect(matchForbiddenModule('vitest-stress', resolve(REPO, 'dist/index.js'), rules)).toBeUndefined();
    expect(matchForbiddenModule('./p', resolve(REPO, 'dist/production-notes.js'), rules)).toBeUndefined();
  });

  it('takes user entries as package names (node: built-ins too) or as paths against the root', () => {
    expect(matchForbiddenModule('node:child_process', undefined, rules)).toBe('child_process');
    expect(matchForbiddenModule('child_process', undefined, rules)).toBe('child_process');
    const helper = resolve(REPO, 'fixtures/isolation/support/forbidden-delivery.ts');
    expect(matchForbiddenModule('./forbidden-delivery.ts', helper, rules)).toBe(helper);
    expect(
      isForbiddenModule('./forbidden-delivery.ts', helper, resolveIsolationOptions({ root: REPO })),
    ).toBe(false);
  });

  it('never treats a path-like specifier as a package name', () => {
    const withFile: ForbiddenModuleRules = { packages: ['robotjs', '.'], paths: [] };
    expect(matchForbiddenModule('./robotjs', undefined, withFile)).toBeUndefined();
    expect(matchForbiddenModule('/robotjs', undefined, withFile)).toBeUndefined();
    expect(matchForbiddenModule('file:///robotjs', undefined, withFile)).toBeUndefined();
  });

  it('gives the same answer as the copy the ESM resolve hook runs off-thread', () => {
    const hookMatcher = new Function(
      `${FORBIDDEN_MODULE_MATCHER_SOURCE}; return matchForbiddenModule;`,
    )() as (...args: Parameters<typeof matchForbiddenModule>) => string | undefined;
    const piece = fc.constantFrom(
      'robotjs',
      '@nut-tree',
      'nut-js',
      'node_modules',
      'src',
      'node',
      '.',
      '..',
      'x',
    );
    const specifier = fc
      .tuple(fc.constantFrom('', 'node:', './', '../', '/', 'file:///', 'C:\\'), fc.array(piece))
      .map(([prefix, parts]) => prefix + parts.join('/'));
    const path = fc.option(
      fc
        .tuple(fc.array(piece, { maxLength: 6 }), fc.constantFrom('', '.ts', '.js', '.d.ts'))
        .map(([parts, extension]) => `/${parts.join('/')}${extension}`),
      { nil: undefined },
    );
    const ruleSet = fc.record({
      packages: fc.array(fc.constantFrom('robotjs', '@nut-tree/nut-js', 'x', 'child_process')),
      paths: fc.array(fc.constantFrom('/src/node/x', '/node_modules/x', '/x', 'C:\\x')),
    });
    fc.assert(
      fc.property(specifier, path, ruleSet, (spec, resolved, set) => {
        expect(hookMatcher(spec, resolved, set)).toBe(matchForbiddenModule(spec, resolved, set));
      }),
      { numRuns: 2000 },
    );
  });
});
