import { readdirSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { allSpecifiersOf, DISK, ModuleGraph, packageOf, type SourceSet } from './support/module-graph.ts';

const SRC = resolve(import.meta.dirname, '../src');

/**
 * What each area of `src/` may do. An area is a folder (with its subfolders, unless one has its own row) or an
 * entry file at the root. `imports`: the other areas its modules may name (type-only imports included).
 * `node`, `packages`, `inbox`: what it may **reach** at run time, through any chain of imports, so a pure
 * area cannot get Node or a package by importing a helper that has it. The real core lives in `inbox/`.
 */
interface AreaRule {
  readonly imports: readonly string[];
  readonly node: boolean;
  readonly packages: readonly string[];
  readonly inbox: boolean;
}

const PURE = { node: false, inbox: false } as const;
const ENGINE_PACKAGES = ['pure-rand', 'hdr-histogram-js'];
const REPORT_PACKAGES = [...ENGINE_PACKAGES, 'ajv', 'chalk'];

const AREAS: Record<string, AreaRule> = {
  protocol: { ...PURE, imports: [], packages: [] },
  queue: { ...PURE, imports: ['protocol'], packages: [] },
  engine: { ...PURE, imports: ['protocol'], packages: ENGINE_PACKAGES },
  generators: { ...PURE, imports: ['protocol', 'engine'], packages: [...ENGINE_PACKAGES, 'fast-check'] },
  io: { node: true, inbox: false, imports: ['protocol'], packages: [] },
  'queue/file-store': { node: true, inbox: false, imports: ['protocol', 'queue', 'io'], packages: [] },
  isolation: { node: true, inbox: false, imports: ['protocol', 'io'], packages: [] },
  report: {
    node: true,
    inbox: false,
    imports: ['protocol', 'engine', 'io', 'isolation'],
    packages: REPORT_PACKAGES,
  },
  inbox: {
    node: true,
    inbox: true,
    imports: ['protocol', 'queue', 'queue/file-store', 'engine', 'io', 'isolation'],
    packages: ENGINE_PACKAGES,
  },
  reference: {
    node: true,
    inbox: false,
    imports: ['protocol', 'queue', 'queue/file-store', 'engine', 'io'],
    packages: ENGINE_PACKAGES,
  },
  'validate/queue': {
    node: true,
    inbox: false,
    imports: ['protocol', 'queue', 'queue/file-store', 'engine', 'io', 'isolation'],
    packages: ENGINE_PACKAGES,
  },
  'validate/integration': {
    node: true,
    inbox: false,
    imports: ['protocol', 'io', 'isolation'],
    packages: ['typescript'],
  },
  compare: {
    node: true,
    inbox: true,
    imports: ['protocol', 'engine', 'io', 'isolation', 'inbox', 'reference', 'report'],
    packages: [...ENGINE_PACKAGES, 'simple-statistics'],
  },
  // What both test-runner front ends share: settings, the session, the fixture, chaos properties, matchers.
  suite: {
    node: true,
    inbox: false,
    imports: ['protocol', 'engine', 'generators', 'io', 'isolation', 'reference', 'report'],
    packages: [...ENGINE_PACKAGES, 'fast-check'],
  },
  vitest: {
    node: true,
    inbox: false,
    imports: ['protocol', 'engine', 'generators', 'io', 'isolation', 'reference', 'report', 'suite'],
    packages: [...REPORT_PACKAGES, 'fast-check', 'vitest'],
  },
  jest: {
    node: true,
    inbox: false,
    imports: ['protocol', 'engine', 'generators', 'io', 'isolation', 'reference', 'report', 'suite'],
    packages: [...REPORT_PACKAGES, 'fast-check', '@jest/globals', 'jest-environment-node'],
  },
  bullmq: {
    node: true,
    inbox: false,
    imports: ['protocol', 'engine', 'io', 'isolation'],
    packages: ['bullmq', 'ioredis'],
  },
  cli: {
    node: true,
    inbox: true,
    imports: [
      'protocol',
      'engine',
      'generators',
      'io',
      'isolation',
      'report',
      'compare',
      'reference',
      'validate/queue',
      'validate/integration',
    ],
    packages: [...REPORT_PACKAGES, 'simple-statistics', 'typescript', 'cli-progress', 'tsx'],
  },
  // The root entry files: `vitest-stress` re-exports the pure layers and the Node tools but never reaches the
  // real core; `vitest-stress/production` is the one door to it.
  'index.ts': {
    node: true,
    inbox: false,
    imports: [
      'protocol',
      'queue',
      'queue/file-store',
      'engine',
      'generators',
      'io',
      'isolation',
      'report',
      'compare',
      'reference',
      'validate/queue',
      'validate/integration',
    ],
    packages: [...REPORT_PACKAGES, 'fast-check', 'simple-statistics', 'typescript'],
  },
  'production.ts': { node: true, inbox: true, imports: ['inbox'], packages: ENGINE_PACKAGES },
};

/** The area a source file belongs to: the longest folder row that holds it, or its own name at the root. */
function areaOf(root: string, file: string): string | undefined {
  const path = relative(root, file).split(/[\\/]/).join('/');
  if (!path.includes('/')) return AREAS[path] === undefined ? undefined : path;
  return Object.keys(AREAS)
    .filter((area) => path.startsWith(`${area}/`))
    .sort((a, b) => b.length - a.length)[0];
}

/** Every rule the files of `root` break, one line each, with the import chain that breaks it. */
function ruleViolations(root: string, files: readonly string[], sources: SourceSet = DISK): string[] {
  const graph = new ModuleGraph(sources);
  const name = (file: string): string => relative(root, file).split(/[\\/]/).join('/');
  const problems: string[] = [];
  for (const file of files) {
    const area = areaOf(root, file);
    if (area === undefined) {
      problems.push(`${name(file)}: in no area of the table (add a row, or move it)`);
      continue;
    }
    const rule = AREAS[area]!;
    for (const specifier of allSpecifiersOf(sources.read(file))) {
      if (!specifier.startsWith('.')) continue;
      const target = areaOf(root, resolve(file, '..', specifier));
      if (target !== undefined && target !== area && !rule.imports.includes(target))
        problems.push(
          `${name(file)}: imports ${specifier} (area "${target}", not among "${area}"'s imports)`,
        );
    }
    for (const [reached, chain] of graph.reachableFrom(file)) {
      const via = chain.map(name).join(' -> ');
      if (!rule.inbox && areaOf(root, reached) === 'inbox')
        problems.push(`${name(file)}: reaches the real core: ${via}`);
      for (const specifier of graph.importsOf(reached).bare) {
        const pkg = packageOf(specifier);
        if (pkg === 'node:' ? !rule.node : !rule.packages.includes(pkg))
          problems.push(`${name(file)}: reaches ${specifier} (area "${area}" may not): ${via}`);
      }
    }
  }
  return problems;
}

function listFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? listFiles(path) : path.endsWith('.ts') ? [path] : [];
  });
}

describe('architecture: areas point one way, and purity holds by reachability', () => {
  const files = listFiles(SRC);

  it('holds for every source file', () => {
    expect(files.length).toBeGreaterThan(200);
    expect(ruleViolations(SRC, files)).toEqual([]);
  });

  it('names no area that does not exist, and allows no package an area never reaches', () => {
    const graph = new ModuleGraph();
    const reached = new Map<string, Set<string>>();
    for (const file of files) {
      const area = areaOf(SRC, file)!;
      const set = reached.get(area) ?? new Set<string>();
      reached.set(area, set);
      for (const module of graph.reachableFrom(file).keys())
        for (const specifier of graph.importsOf(module).bare) set.add(packageOf(specifier));
    }
    const stale = Object.entries(AREAS).flatMap(([area, rule]) => [
      ...(reached.has(area) ? [] : [`${area}: no such area`]),
      ...rule.packages.filter((pkg) => !reached.get(area)?.has(pkg)).map((pkg) => `${area}: ${pkg}`),
    ]);
    expect(stale).toEqual([]);
  });

  // The rules must be able to fail: a planted source tree breaks each one once.
  describe('fails on planted violations', () => {
    const ROOT = '/planted/src';
    const plant = (tree: Record<string, string>): string[] => {
      const map = new Map(Object.entries(tree).map(([path, source]) => [`${ROOT}/${path}`, source]));
      const sources: SourceSet = { has: (file) => map.has(file), read: (file) => map.get(file) ?? '' };
      return ruleViolations(ROOT, [...map.keys()], sources);
    };

    it('a pure area importing Node directly', () => {
      expect(plant({ 'engine/clock/x.ts': "import { readFileSync } from 'node:fs';" })).toEqual([
        expect.stringContaining('engine/clock/x.ts: reaches node:fs'),
      ]);
    });

    it('a pure area reaching Node or a package through an allowed import', () => {
      const problems = plant({
        'generators/g.ts': "import { e } from '../engine/e.ts';",
        'engine/e.ts': "import 'fs'; import fc from 'fast-check'; export const e = 1;",
      });
      expect(problems).toEqual(
        expect.arrayContaining([
          expect.stringContaining(
            'generators/g.ts: reaches fs (area "generators" may not): generators/g.ts -> engine/e.ts',
          ),
          expect.stringContaining('engine/e.ts: reaches fast-check'),
        ]),
      );
      expect(problems.some((p) => p.startsWith('generators/g.ts: reaches fast-check'))).toBe(false);
    });

    it('an import against the direction of the table, type-only ones included', () => {
      expect(plant({ 'queue/q.ts': "import type { R } from '../engine/r.ts';", 'engine/r.ts': '' })).toEqual([
        expect.stringContaining('queue/q.ts: imports ../engine/r.ts (area "engine"'),
      ]);
    });

    it('the package root reaching the real core, even by dynamic import', () => {
      const problems = plant({
        'index.ts': "export { c } from './compare/c.ts';",
        'compare/c.ts': "export const c = () => import('../inbox/core.ts');",
        'inbox/core.ts': '',
      });
      expect(problems).toEqual([
        expect.stringContaining('index.ts: reaches the real core: index.ts -> compare/c.ts -> inbox/core.ts'),
      ]);
    });

    it('a file in no area, and type-only imports that load nothing at run time', () => {
      expect(plant({ 'misc/x.ts': '' })).toEqual([
        'misc/x.ts: in no area of the table (add a row, or move it)',
      ]);
      expect(
        plant({ 'engine/t.ts': "import type { Stats } from 'node:fs'; export type S = Stats;" }),
      ).toEqual([]);
    });
  });
});
