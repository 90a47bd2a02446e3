import { dirname, isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type TS from 'typescript';
import type { TypeScriptApi } from './load-typescript.ts';
import { moduleSpecifiers } from './module-specifiers.ts';

/** Where a specifier leads: a file (or, when unresolvable but relative, where it points), and whether it is a package. */
export interface ImportTarget {
  readonly path: string | undefined;
  /** True for files inside a package (node_modules) rather than the project. */
  readonly external: boolean;
}

/** The project files reachable from the stress test files, and who first imported each. */
export interface ModuleGraph {
  /** Entries first, then breadth-first. */
  readonly files: readonly string[];
  /** For every file but the entries: the file whose import reached it. */
  readonly reachedFrom: ReadonlyMap<string, string>;
}

/** Resolves module specifiers with the compiler's own resolution, as `tsc` would for these options. */
export class ImportResolver {
  readonly #ts: TypeScriptApi;
  readonly #options: TS.CompilerOptions;
  readonly #cache: TS.ModuleResolutionCache;

  constructor(ts: TypeScriptApi, options: TS.CompilerOptions, root: string) {
    this.#ts = ts;
    this.#options = options;
    this.#cache = ts.createModuleResolutionCache(root, (name) => name, options);
  }

  /** Resolves `specifier` as imported from `file`. */
  resolve(specifier: string, file: string): ImportTarget {
    const result = this.#ts.resolveModuleName(specifier, file, this.#options, this.#ts.sys, this.#cache);
    const resolved = result.resolvedModule;
    if (resolved !== undefined) {
      return {
        path: resolve(resolved.resolvedFileName),
        external: resolved.isExternalLibraryImport === true,
      };
    }
    if (specifier.startsWith('file:')) return { path: fileURLToPath(specifier), external: false };
    if (specifier.startsWith('.') || isAbsolute(specifier)) {
      return { path: resolve(dirname(file), specifier), external: false };
    }
    return { path: undefined, external: true };
  }
}

const SOURCE_FILE = /\.[cm]?[jt]sx?$/;
const DECLARATION_FILE = /\.d\.[cm]?ts$/;

/**
 * Follows runtime imports from the entries through project files (never into packages, declaration files, or
 * files `skip` rejects), parsing each file with the compiler's parser.
 */
export function collectModuleGraph(
  ts: TypeScriptApi,
  entries: readonly string[],
  resolver: ImportResolver,
  skip: (path: string) => boolean,
): ModuleGraph {
  const files = [...new Set(entries)];
  const reachedFrom = new Map<string, string>();
  for (let index = 0; index < files.length; index += 1) {
    const file = files[index] as string;
    const text = ts.sys.readFile(file);
    if (text === undefined) continue;
    const sourceFile = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, false);
    for (const { specifier, runtime } of moduleSpecifiers(ts, sourceFile)) {
      if (!runtime) continue;
      const target = resolver.resolve(specifier, file);
      const path = target.path;
      if (path === undefined || target.external || files.includes(path)) continue;
      if (!SOURCE_FILE.test(path) || DECLARATION_FILE.test(path) || skip(path) || !ts.sys.fileExists(path))
        continue;
      files.push(path);
      reachedFrom.set(path, file);
    }
  }
  return { files, reachedFrom };
}
