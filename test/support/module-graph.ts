import { existsSync, readFileSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { dirname, resolve } from 'node:path';
import ts from 'typescript';

/**
 * Module specifiers a source loads at run time. It is transpiled first, so type-only imports (which load
 * nothing) are gone, exactly as in the built package; static imports, re-exports, `import()` and `require()`
 * all count.
 */
export function runtimeSpecifiersOf(source: string, fileName = 'module.ts'): string[] {
  const output = ts.transpileModule(source, {
    compilerOptions: {
      module: ts.ModuleKind.ESNext,
      target: ts.ScriptTarget.ES2022,
      verbatimModuleSyntax: true,
    },
    fileName,
  }).outputText;
  return ts.preProcessFile(output, true, true).importedFiles.map((imported) => imported.fileName);
}

/** Every specifier a source names, type-only imports included (what the layer rules read). */
export function allSpecifiersOf(source: string): string[] {
  return ts.preProcessFile(source, true, true).importedFiles.map((imported) => imported.fileName);
}

/** Where module sources come from: the disk, or a planted set in a test of the rules themselves. */
export interface SourceSet {
  has(file: string): boolean;
  read(file: string): string;
}

export const DISK: SourceSet = { has: existsSync, read: (file) => readFileSync(file, 'utf8') };

/** The run-time import graph over a source set: relative imports resolved, bare ones kept as they are. */
export class ModuleGraph {
  private readonly cache = new Map<string, { files: string[]; bare: string[] }>();

  constructor(private readonly sources: SourceSet = DISK) {}

  /** A file's run-time imports: resolved relative modules (`files`) and bare specifiers (`bare`). */
  importsOf(file: string): { files: string[]; bare: string[] } {
    let found = this.cache.get(file);
    if (found === undefined) {
      const specifiers = runtimeSpecifiersOf(this.sources.read(file), file);
      found = {
        files: specifiers.filter((s) => s.startsWith('.')).map((s) => resolve(dirname(file), s)),
        bare: specifiers.filter((s) => !s.startsWith('.')),
      };
      this.cache.set(file, found);
    }
    return found;
  }

  /** Every module reachable from `entry` at run time, each with the chain of imports that reached it. */
  reachableFrom(entry: string): Map<string, readonly string[]> {
    const seen = new Map<string, readonly string[]>([[entry, [entry]]]);
    const pending = [entry];
    for (let file = pending.pop(); file !== undefined; file = pending.pop()) {
      for (const target of this.importsOf(file).files) {
        if (seen.has(target) || !this.sources.has(target)) continue;
        seen.set(target, [...seen.get(file)!, target]);
        pending.push(target);
      }
    }
    return seen;
  }
}

/** The package a bare specifier names (`@scope/name` or `name`), or `node:` for a built-in. */
export function packageOf(specifier: string): string {
  if (isBuiltin(specifier)) return 'node:';
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
}
