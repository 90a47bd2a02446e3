import { lstatSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type TS from 'typescript';
import type { TypeScriptApi } from './load-typescript.ts';
import { moduleSpecifiers } from './module-specifiers.ts';
import type { SourceRead, UncheckedReason } from './read-source-file.ts';

/** Where a specifier leads: a file (or, when unresolvable but relative, where it points), and whether it is a package. */
export interface ImportTarget {
  readonly path: string | undefined;
  /** True for files inside a package (node_modules) rather than the project. */
  readonly external: boolean;
}

/** The project files reachable from the stress test files, and who first imported each. */
export interface ModuleGraph {
  /** The files read, entries first, then breadth-first. */
  readonly files: readonly string[];
  /** The text of every file read, as the compiler must see it. */
  readonly texts: ReadonlyMap<string, string>;
  /** Files reached (or given) that could not be read, and why. */
  readonly unreadable: ReadonlyMap<string, { readonly reason: UncheckedReason; readonly detail: string }>;
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
 * files `skip` rejects), reading each with `read` (which never blocks) and parsing it with the compiler's parser.
 */
export function collectModuleGraph(
  ts: TypeScriptApi,
  entries: readonly string[],
  resolver: ImportResolver,
  skip: (path: string) => boolean,
  read: (path: string) => SourceRead,
): ModuleGraph {
  const queue = [...new Set(entries)];
  const seen = new Set(queue);
  const files: string[] = [];
  const texts = new Map<string, string>();
  const unreadable = new Map<string, { reason: UncheckedReason; detail: string }>();
  const reachedFrom = new Map<string, string>();
  for (let index = 0; index < queue.length; index += 1) {
    const file = queue[index] as string;
    const result = read(file);
    if (!result.ok) {
      unreadable.set(file, { reason: result.reason, detail: result.detail });
      continue;
    }
    files.push(file);
    texts.set(file, result.text);
    const sourceFile = ts.createSourceFile(file, result.text, ts.ScriptTarget.Latest, false);
    for (const { specifier, runtime } of moduleSpecifiers(ts, sourceFile)) {
      if (!runtime) continue;
      const target = resolver.resolve(specifier, file);
      const path = target.path;
      if (path === undefined || target.external || seen.has(path)) continue;
      if (
        !SOURCE_FILE.test(path) ||
        DECLARATION_FILE.test(path) ||
        skip(path) ||
        !lstatSync(path, { throwIfNoEntry: false })
      )
        continue;
      seen.add(path);
      queue.push(path);
      reachedFrom.set(path, file);
    }
  }
  return { files, texts, unreadable, reachedFrom };
}
