import { relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ModuleGraph, packageOf } from './support/module-graph.ts';

const SRC = resolve(import.meta.dirname, '../src');
const REAL_CORE = resolve(SRC, 'inbox/inbox-messaging-core.ts');

/** The package's entry points (package.json `exports`, the modules Vitest loads itself, the binary). */
const ENTRIES = {
  'vitest-stress': 'index.ts',
  'vitest-stress/vitest': 'vitest/index.ts',
  'vitest-stress/environment': 'vitest/environment.ts',
  'vitest-stress/reporter': 'vitest/reporter.ts',
  'the stress setup file': 'vitest/setup.ts',
  'vitest-stress/production': 'production.ts',
  'vitest-stress/bullmq': 'bullmq/index.ts',
  'vitest-stress/jest': 'jest/index.ts',
  'vitest-stress/jest-environment': 'jest/environment.ts',
  'vitest-stress/jest-reporter': 'jest/reporter.ts',
  'vitest-stress/jest-config': 'jest/config.ts',
  'vitest-stress/jest-resolver': 'jest/resolver.ts',
  'the vitest-stress binary': 'cli/main.ts',
} as const;

/** Entries allowed to reach real delivery: production itself, and the CLI (comparison mode). */
const MAY_REACH_REAL_CORE = new Set(['vitest-stress/production', 'the vitest-stress binary']);

const graph = new ModuleGraph();
const reachableFrom = (entry: string) => graph.reachableFrom(entry);

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
        resolve(SRC, 'reference/reference-target.ts'),
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

/** Bare packages a file loads at run time (type-only imports load nothing). */
const runtimePackagesOf = (file: string): string[] => graph.importsOf(file).bare.map(packageOf);

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
    if (file.startsWith(`${resolve(SRC, folder)}/`)) return show(chain);
    const banned = runtimePackagesOf(file).find(isBanned);
    if (banned !== undefined) return `${show(chain)} -> ${banned}`;
  }
  return 'none';
}

describe('entry points: Vitest users never load Jest, Jest users never load Vitest', () => {
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
