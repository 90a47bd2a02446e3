import { existsSync, readFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const SRC = resolve(import.meta.dirname, '../src');
const REAL_CORE = resolve(SRC, 'node/inbox-messaging-core.ts');

/** The package's entry points (package.json `exports`, the modules Vitest loads itself, the binary). */
const ENTRIES = {
  'vitest-stress': 'index.ts',
  'vitest-stress/vitest': 'vitest/index.ts',
  'vitest-stress/environment': 'vitest/environment.ts',
  'vitest-stress/reporter': 'vitest/reporter.ts',
  'the stress setup file': 'vitest/setup.ts',
  'vitest-stress/production': 'production.ts',
  'the vitest-stress binary': 'cli/main.ts',
  'vitest-stress/jest': 'jest/index.ts',
  'vitest-stress/jest-environment': 'jest/environment.ts',
  'vitest-stress/jest-reporter': 'jest/reporter.ts',
  'vitest-stress/jest-config': 'jest/config.ts',
} as const;

/** Entries allowed to reach real delivery: production itself, and the CLI (comparison mode). */
const MAY_REACH_REAL_CORE = new Set(['vitest-stress/production', 'the vitest-stress binary']);

const importsCache = new Map<string, string[]>();
const packagesCache = new Map<string, string[]>();

function transpiledImports(file: string): string[] {
  const output = ts.transpileModule(readFileSync(file, 'utf8'), {
    compilerOptions: {
      module: ts.ModuleKind.ESNext,
      target: ts.ScriptTarget.ES2022,
      verbatimModuleSyntax: true,
      rewriteRelativeImportExtensions: false,
    },
    fileName: file,
  }).outputText;
  return ts.preProcessFile(output, true, true).importedFiles.map((imported) => imported.fileName);
}

/** Bare packages a file loads at run time (type-only imports excluded). */
function runtimePackagesOf(file: string): string[] {
  let packages = packagesCache.get(file);
  if (packages === undefined) {
    packages = transpiledImports(file)
      .filter((specifier) => !specifier.startsWith('.') && !specifier.startsWith('node:'))
      .map((specifier) =>
        specifier
          .split('/')
          .slice(0, specifier.startsWith('@') ? 2 : 1)
          .join('/'),
      );
    packagesCache.set(file, packages);
  }
  return packages;
}

/**
 * Relative modules a file loads at run time. The file is transpiled first, so type-only imports (which load
 * nothing) are gone, exactly as in the built package; static imports, re-exports and `import()` all count.
 */
function runtimeImportsOf(file: string): string[] {
  const cached = importsCache.get(file);
  if (cached !== undefined) return cached;
  const imports = transpiledImports(file)
    .filter((specifier) => specifier.startsWith('.'))
    .map((specifier) => resolve(dirname(file), specifier));
  importsCache.set(file, imports);
  return imports;
}

/** Every source module reachable from `entry`, each with the chain of imports that reached it. */
function reachableFrom(entry: string): Map<string, readonly string[]> {
  const seen = new Map<string, readonly string[]>([[entry, [entry]]]);
  const pending = [entry];
  for (let file = pending.pop(); file !== undefined; file = pending.pop()) {
    for (const target of runtimeImportsOf(file)) {
      if (seen.has(target) || !existsSync(target)) continue;
      seen.set(target, [...seen.get(file)!, target]);
      pending.push(target);
    }
  }
  return seen;
}

const show = (chain: readonly string[]): string => chain.map((file) => relative(SRC, file)).join(' -> ');

describe('entry points: real delivery is reachable only through production and the CLI', {
  timeout: 60_000,
}, () => {
  it('follows static, re-exported and dynamic imports but not type-only ones', () => {
    const reached = reachableFrom(resolve(SRC, 'production.ts'));
    expect(reached.has(REAL_CORE)).toBe(true);
    // `environment.ts` loads the reference target only through `import()`: that still counts.
    expect(
      reachableFrom(resolve(SRC, ENTRIES['vitest-stress/environment'])).has(
        resolve(SRC, 'node/reference-target.ts'),
      ),
    ).toBe(true);
  });

  for (const [name, file] of Object.entries(ENTRIES)) {
    const mayReach = MAY_REACH_REAL_CORE.has(name);
    it(`${name} ${mayReach ? 'may reach' : 'never reaches'} the real InboxMessagingCore`, () => {
      const chain = reachableFrom(resolve(SRC, file)).get(REAL_CORE);
      if (mayReach) expect(chain, `${name} should reach the real core`).toBeDefined();
      else expect(chain === undefined ? 'unreachable' : show(chain)).toBe('unreachable');
    });
  }
});

const JEST_ENTRIES = Object.keys(ENTRIES).filter((name) => name.startsWith('vitest-stress/jest'));
const VITEST_ENTRIES = [
  'vitest-stress/vitest',
  'vitest-stress/environment',
  'vitest-stress/reporter',
  'the stress setup file',
];
const isJestPackage = (name: string): boolean =>
  name === 'jest' || name.startsWith('jest-') || name.startsWith('@jest/');

/** The first reachable file of `entry` that is in `folder` or loads a package `isBanned` names, with its chain. */
function forbiddenReach(entry: string, folder: string, isBanned: (name: string) => boolean): string {
  for (const [file, chain] of reachableFrom(resolve(SRC, entry))) {
    if (file.startsWith(resolve(SRC, folder) + '/')) return show(chain);
    const banned = runtimePackagesOf(file).find(isBanned);
    if (banned !== undefined) return `${show(chain)} -> ${banned}`;
  }
  return 'none';
}

describe('entry points: Vitest users never load Jest, Jest users never load Vitest', {
  timeout: 60_000,
}, () => {
  it('sees a Jest package and the jest folder where they are', () => {
    expect(forbiddenReach('jest/index.ts', 'vitest', isJestPackage)).toContain('@jest/globals');
    expect(forbiddenReach('jest/environment.ts', 'jest', () => false)).toBe('jest/environment.ts');
    expect(forbiddenReach('vitest/index.ts', 'jest', (name) => name === 'vitest')).toContain('vitest');
  });

  for (const name of VITEST_ENTRIES) {
    it(`${name} reaches neither src/jest nor a Jest package`, () => {
      expect(forbiddenReach(ENTRIES[name as keyof typeof ENTRIES], 'jest', isJestPackage)).toBe('none');
    });
  }
  for (const name of JEST_ENTRIES) {
    it(`${name} reaches neither src/vitest nor the vitest package`, () => {
      const entry = ENTRIES[name as keyof typeof ENTRIES];
      expect(forbiddenReach(entry, 'vitest', (pkg) => pkg === 'vitest' || pkg.startsWith('@vitest/'))).toBe(
        'none',
      );
    });
  }
});
