import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const SRC = resolve(import.meta.dirname, '../src');

/** Which layers each layer may import, from the conventions' architecture table. */
const ALLOWED: Record<string, readonly string[]> = {
  protocol: [],
  queue: ['protocol'],
  engine: ['protocol'],
  generators: ['protocol', 'engine'],
  node: ['protocol', 'queue', 'engine', 'generators'],
  suite: ['protocol', 'queue', 'engine', 'generators', 'node'],
  vitest: ['protocol', 'queue', 'engine', 'generators', 'node', 'suite'],
  jest: ['protocol', 'queue', 'engine', 'generators', 'node', 'suite'],
  cli: ['protocol', 'queue', 'engine', 'generators', 'node', 'suite', 'vitest'],
};
/** Bare packages each layer may import (besides `node:*` where allowed). */
const PACKAGES: Record<string, readonly string[]> = {
  protocol: [],
  queue: [],
  engine: ['pure-rand', 'hdr-histogram-js', 'simple-statistics'],
  generators: ['fast-check', 'pure-rand'],
  node: ['*'],
  // The layer both front ends share names no test runner: Vitest users never load Jest and the other way round.
  suite: ['fast-check', 'pure-rand', 'hdr-histogram-js', 'simple-statistics', 'ajv', 'chalk'],
  vitest: ['*'],
  jest: ['*'],
  cli: ['*'],
};
const NODE_FREE = new Set(['protocol', 'queue', 'engine', 'generators']);

function listFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? listFiles(path) : path.endsWith('.ts') ? [path] : [];
  });
}

/** Every module specifier in static imports, re-exports, `import type`, dynamic `import()` and `require()`. */
function importsOf(source: string): string[] {
  const info = ts.preProcessFile(source, true, true);
  return info.importedFiles.map((file) => file.fileName);
}

function layerOf(file: string): string {
  const first = relative(SRC, file).split(/[\\/]/)[0]!;
  return first.endsWith('.ts') ? 'root' : first;
}

const files = listFiles(SRC);

describe('architecture: layers point one way', () => {
  it('finds the source files', () => {
    expect(files.length).toBeGreaterThan(10);
  });

  it('reads every kind of import statement', () => {
    const sample = [
      "import { a } from './a.ts';",
      "import type { B } from '../b/index.ts';",
      "export { c } from 'pkg';",
      "import 'side-effect';",
      "const d = await import('node:fs');",
      "const e = require('child_process');",
    ].join('\n');
    expect(importsOf(sample)).toEqual([
      './a.ts',
      '../b/index.ts',
      'pkg',
      'side-effect',
      'node:fs',
      'child_process',
    ]);
  });

  for (const file of files) {
    const layer = layerOf(file);
    if (layer === 'root') continue;
    it(`${relative(SRC, file)} imports only what layer "${layer}" may`, () => {
      const allowedLayers = ALLOWED[layer];
      expect(allowedLayers, `unknown layer folder src/${layer}`).toBeDefined();
      const problems: string[] = [];
      for (const spec of importsOf(readFileSync(file, 'utf8'))) {
        if (spec.startsWith('.')) {
          const target = resolve(file, '..', spec);
          const targetLayer = layerOf(target);
          if (targetLayer !== layer && !allowedLayers!.includes(targetLayer)) {
            problems.push(`${spec} (layer "${targetLayer}")`);
          }
        } else if (spec.startsWith('node:') || (!spec.includes('/') && isNodeBuiltin(spec))) {
          if (NODE_FREE.has(layer)) problems.push(`${spec} (Node built-in)`);
        } else {
          const pkg = spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]!;
          const allowed = PACKAGES[layer]!;
          if (!allowed.includes('*') && !allowed.includes(pkg)) problems.push(`${spec} (package)`);
        }
      }
      expect(problems).toEqual([]);
    });
  }
});

function isNodeBuiltin(name: string): boolean {
  return [
    'fs',
    'path',
    'os',
    'child_process',
    'net',
    'tls',
    'http',
    'https',
    'http2',
    'dgram',
    'worker_threads',
    'url',
    'util',
    'crypto',
    'events',
    'stream',
    'module',
    'process',
    'perf_hooks',
    'v8',
    'vm',
    'assert',
  ].includes(name);
}
