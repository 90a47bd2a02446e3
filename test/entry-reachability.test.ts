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
  'vitest-stress/bullmq': 'bullmq/index.ts',
  'the vitest-stress binary': 'cli/main.ts',
} as const;

/** Entries allowed to reach real delivery: production itself, and the CLI (comparison mode). */
const MAY_REACH_REAL_CORE = new Set(['vitest-stress/production', 'the vitest-stress binary']);

/**
 * Module specifiers a file loads at run time. The file is transpiled first, so type-only imports (which load
 * nothing) are gone, exactly as in the built package; static imports, re-exports and `import()` all count.
 */
function runtimeSpecifiersOf(file: string): string[] {
  const output = ts.transpileModule(readFileSync(file, 'utf8'), {
    compilerOptions: {
      module: ts.ModuleKind.ESNext,
      target: ts.ScriptTarget.ES2022,
      verbatimModuleSyntax: true,
    },
    fileName: file,
  }).outputText;
  return ts.preProcessFile(output, true, true).importedFiles.map((imported) => imported.fileName);
}

const importsCache = new Map<string, string[]>();

/** Relative modules a file loads at run time, resolved. */
function runtimeImportsOf(file: string): string[] {
  const cached = importsCache.get(file);
  if (cached !== undefined) return cached;
  const imports = runtimeSpecifiersOf(file)
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

describe('entry points: real delivery is reachable only through production and the CLI', () => {
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

/** Bare packages a file loads at run time (type-only imports are gone after transpiling). */
const packagesCache = new Map<string, string[]>();
function runtimePackagesOf(file: string): string[] {
  const cached = packagesCache.get(file);
  if (cached !== undefined) return cached;
  const packages = runtimeSpecifiersOf(file).filter(
    (specifier) => !specifier.startsWith('.') && !specifier.startsWith('node:'),
  );
  packagesCache.set(file, packages);
  return packages;
}

describe('entry points: only vitest-stress/bullmq loads BullMQ', () => {
  const BULLMQ_DIR = resolve(SRC, 'bullmq');
  it('vitest-stress/bullmq does load bullmq and ioredis', () => {
    const packages = [...reachableFrom(resolve(SRC, 'bullmq/index.ts')).keys()].flatMap(runtimePackagesOf);
    expect(packages).toEqual(expect.arrayContaining(['bullmq', 'ioredis']));
  });

  for (const [name, file] of Object.entries(ENTRIES)) {
    if (name === 'vitest-stress/bullmq') continue;
    it(`${name} never loads src/bullmq, bullmq or ioredis`, () => {
      const reached = [...reachableFrom(resolve(SRC, file)).entries()];
      const intoBullmq = reached.find(([module]) => module.startsWith(BULLMQ_DIR));
      expect(intoBullmq === undefined ? 'unreachable' : show(intoBullmq[1])).toBe('unreachable');
      const packages = reached.flatMap(([module]) => runtimePackagesOf(module));
      expect(packages.filter((pkg) => pkg === 'bullmq' || pkg === 'ioredis')).toEqual([]);
    });
  }
});
