import { type GuardSpec, guardConstructor, guardFunction } from './guarded-function.ts';
import type { PatchSet } from './patch-set.ts';
import { type QuietBuiltin, requireQuietly, warnOnConstruct } from './quiet-builtin.ts';

/** What a piece of SQL would make SQLite open besides its database: files it names, and names it computes. */
export interface SqlFiles {
  /** Literal file names of `ATTACH` and `VACUUM INTO`. */
  readonly files: readonly string[];
  /** The statement the guard cannot judge (a file name computed at run time, a temp directory set), if any. */
  readonly computed?: string;
}

type Token = { readonly word: string } | { readonly literal: string } | { readonly other: string };

/** The end of a quoted run starting at `i` (just past its closing quote; a doubled quote stays inside). */
function quoted(sql: string, i: number, close: string): { readonly text: string; readonly end: number } {
  let text = '';
  let at = i + 1;
  for (; at < sql.length; at++) {
    if (sql[at] === close && sql[at + 1] === close && close !== ']') text += sql[at++];
    else if (sql[at] === close) break;
    else text += sql[at];
  }
  return { text, end: at + 1 };
}

/**
 * Splits SQL into keywords and names, string literals and the rest; comments and white space are dropped. A
 * double-quoted run counts as a literal too: SQLite may read it as a string where no such name exists.
 */
function tokenize(sql: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < sql.length) {
    const c = sql[i] as string;
    if (/\s/.test(c)) {
      i++;
    } else if (sql.startsWith('--', i)) {
      const end = sql.indexOf('\n', i);
      i = end < 0 ? sql.length : end;
    } else if (sql.startsWith('/*', i)) {
      const end = sql.indexOf('*/', i + 2);
      i = end < 0 ? sql.length : end + 2;
    } else if (c === "'" || c === '"') {
      const run = quoted(sql, i, c);
      tokens.push({ literal: run.text });
      i = run.end;
    } else if (c === '`' || c === '[') {
      const run = quoted(sql, i, c === '[' ? ']' : c);
      tokens.push({ other: 'name' });
      i = run.end;
    } else if (/[A-Za-z_]/.test(c)) {
      const word = (/^[A-Za-z0-9_$]+/.exec(sql.slice(i)) as RegExpExecArray)[0];
      tokens.push({ word: word.toUpperCase() });
      i += word.length;
    } else {
      tokens.push({ other: c });
      i++;
    }
  }
  return tokens;
}

const isWord = (token: Token | undefined, word: string): boolean =>
  token !== undefined && 'word' in token && token.word === word;
const literalOf = (token: Token | undefined): string | undefined =>
  token !== undefined && 'literal' in token ? token.literal : undefined;

const isOther = (token: Token | undefined, char: string): boolean =>
  token !== undefined && 'other' in token && token.other === char;

/**
 * The files `sql` would make SQLite open: the file of each `ATTACH [DATABASE] '<file>' AS ...` and `VACUUM
 * [schema] INTO '<file>'` statement. A file name given any other way (a parameter, an expression) cannot be judged
 * before it runs, nor can `PRAGMA temp_store_directory` (SQLite's temp files go there): those come back as
 * `computed`.
 */
export function sqlFiles(sql: string): SqlFiles {
  const tokens = tokenize(sql);
  const files: string[] = [];
  for (let i = 0; i < tokens.length; i++) {
    // Only the first word of a statement says what it does: a column named "attach" is not an ATTACH.
    if (i > 0 && !isOther(tokens[i - 1], ';')) continue;
    const token = tokens[i];
    if (isWord(token, 'ATTACH')) {
      const at = isWord(tokens[i + 1], 'DATABASE') ? i + 2 : i + 1;
      const file = literalOf(tokens[at]);
      if (file === undefined || !isWord(tokens[at + 1], 'AS'))
        return { files, computed: 'ATTACH with a file name computed at run time' };
      files.push(file);
    } else if (isWord(token, 'VACUUM')) {
      let at = i + 1;
      while (at < tokens.length && !isWord(tokens[at], 'INTO') && !isOther(tokens[at], ';')) at++;
      if (!isWord(tokens[at], 'INTO')) continue;
      const file = literalOf(tokens[at + 1]);
      if (file === undefined || !(at + 2 === tokens.length || isOther(tokens[at + 2], ';')))
        return { files, computed: 'VACUUM INTO a file name computed at run time' };
      files.push(file);
    } else if (isWord(token, 'PRAGMA')) {
      // PRAGMA [schema.]name: the name is the next word or the one after the dot.
      const name = isOther(tokens[i + 2], '.') ? tokens[i + 3] : tokens[i + 1];
      if (isWord(name, 'TEMP_STORE_DIRECTORY') || isWord(name, 'DATA_STORE_DIRECTORY'))
        return { files, computed: 'PRAGMA temp_store_directory (SQLite writes its temp files there)' };
    }
  }
  return { files };
}

/** A database name that opens no file: in memory (`:memory:`, `file::memory:…`), or a private temp one (''). */
function inMemory(path: unknown): boolean {
  if (typeof path !== 'string') return false;
  return path === '' || path === ':memory:' || path.startsWith('file::memory:');
}

/** The file a SQLite name opens: a `file:` URI loses its scheme and query, anything else is a path as it is. */
function fileOf(name: unknown): unknown {
  if (typeof name !== 'string' || !name.startsWith('file:')) return name;
  const path = name.slice('file:'.length).replace(/[?#].*$/s, '');
  return path.startsWith('//') ? path.replace(/^\/\/[^/]*/, '') : path;
}

const judgeFile: GuardSpec['inspect'] = (runtime, [path]) =>
  inMemory(path) ? undefined : runtime.policy.check(fileOf(path), false);

/** A database opened `readOnly` only reads its own file, as reading the inbox with `fs` may. */
const judgeOpen: GuardSpec['inspect'] = (runtime, args, self) =>
  (args[1] as { readOnly?: unknown } | undefined)?.readOnly === true
    ? undefined
    : judgeFile(runtime, args, self);

const judgeSqlFiles: GuardSpec['inspect'] = (runtime, [sql]) => {
  if (typeof sql !== 'string') return undefined;
  for (const file of sqlFiles(sql).files) {
    if (inMemory(file)) continue;
    const target = runtime.policy.check(fileOf(file), false);
    if (target !== undefined) return target;
  }
  return undefined;
};

const judgeComputed: GuardSpec['inspect'] = (_runtime, [sql]) =>
  typeof sql === 'string' ? sqlFiles(sql).computed : undefined;

/** A tagged template's SQL as Node's tag store prepares it: the strings joined by `?` placeholders. */
const judgeTagged =
  (judge: GuardSpec['inspect']): GuardSpec['inspect'] =>
  (runtime, [strings], self) =>
    Array.isArray(strings) ? judge(runtime, [strings.join('?')], self) : undefined;

type SqliteModule = Record<string, unknown> & { DatabaseSync?: { prototype: Record<string, unknown> } };

/** Guards a function that runs SQL: the files it names, and what it cannot judge (`sqlOf` finds its SQL text). */
function guardSql(
  original: (...args: unknown[]) => unknown,
  api: string,
  sqlOf: (judge: GuardSpec['inspect']) => GuardSpec['inspect'] = (judge) => judge,
): (...args: unknown[]) => unknown {
  return guardFunction(
    guardFunction(original, { kind: 'fs-write', api, refuse: 'throw', inspect: sqlOf(judgeSqlFiles) }),
    { kind: 'native', api, refuse: 'throw', inspect: sqlOf(judgeComputed) },
  );
}

/**
 * Patches `node:sqlite` (Node 22.5 and later), whose SQLite writes files through its own system calls, never
 * through `fs`: the database a `DatabaseSync` opens, the files SQL attaches or vacuums into (`exec`, `prepare`),
 * the SQL of Node 24's tag store (`createTagStore()`), the destination of `backup()`, all judged by the path
 * rules as writes; SQL naming a file only at run time and `loadExtension` (native code) are refused as `native`.
 * SQL's own `load_extension()` stays "not authorized" even with `allowExtension` (Node enables only the C API;
 * tried on 22.23 and 24.22). `sqlite` is for tests on a Node without the module.
 */
export function patchSqlite(patches: PatchSet, sqlite?: QuietBuiltin): void {
  let loaded = sqlite;
  if (loaded === undefined) {
    try {
      loaded = requireQuietly('sqlite', /SQLite is an experimental feature/);
    } catch {
      return; // Node 20 and early 22: no node:sqlite.
    }
  }
  const module = loaded.module as SqliteModule;
  const prototype = module.DatabaseSync?.prototype;
  if (prototype !== undefined) {
    for (const method of ['exec', 'prepare'] as const) {
      patches.replace<(...args: unknown[]) => unknown>(prototype, method, (original) =>
        guardSql(original, `sqlite.DatabaseSync.${method}`),
      );
    }
    // Node 24's tag store prepares tagged templates natively, past exec and prepare. Each store gets a prototype
    // of its own, so its methods are guarded on the store; one made while a guard is installed stays checked by
    // whichever guard is installed when it runs (none: unchecked).
    patches.replace<(...args: unknown[]) => unknown>(
      prototype,
      'createTagStore',
      (original) =>
        function createTagStore(this: unknown, ...args: unknown[]): unknown {
          const store = Reflect.apply(original, this, args) as Record<string, unknown>;
          for (const method of ['run', 'get', 'all', 'iterate']) {
            const tagged = store[method];
            if (typeof tagged !== 'function') continue;
            Object.defineProperty(store, method, {
              value: guardSql(
                tagged as (...a: unknown[]) => unknown,
                `sqlite.SQLTagStore.${method}`,
                judgeTagged,
              ),
              configurable: true,
              writable: true,
            });
          }
          return store;
        },
    );
    patches.replace<(...args: unknown[]) => unknown>(prototype, 'loadExtension', (original) =>
      guardFunction(original, {
        kind: 'native',
        api: 'sqlite.DatabaseSync.loadExtension',
        refuse: 'throw',
        inspect: (_runtime, [path]) => `SQLite extension ${String(path)}`,
      }),
    );
  }
  patches.replace<object>(module, 'DatabaseSync', (original) => {
    const guarded = guardConstructor(original, {
      kind: 'fs-write',
      api: 'sqlite.DatabaseSync',
      inspect: judgeOpen,
    });
    return warnOnConstruct(guarded, loaded);
  });
  patches.replace<(...args: unknown[]) => unknown>(module, 'backup', (original) =>
    guardFunction(original, {
      kind: 'fs-write',
      api: 'sqlite.backup',
      refuse: 'promise',
      inspect: (runtime, [, path]) => judgeFile(runtime, [path], undefined),
    }),
  );
}
