import { existsSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type IsolationGuard,
  type IsolationViolationRecord,
  installIsolationGuard,
  isIsolationViolation,
} from '../../src/isolation/index.ts';
import { PatchSet } from '../../src/isolation/patch-set.ts';
import { patchSqlite, sqlFiles } from '../../src/isolation/sqlite-guard.ts';
import { tempDir } from '../support/temp-dir.ts';

const require = createRequire(import.meta.url);

/** The part of `node:sqlite` used here (Node 20's typings have none of it). */
interface RealSqlite {
  readonly DatabaseSync: new (
    path: string,
  ) => {
    exec(sql: string): void;
    prepare(sql: string): { run(...values: unknown[]): unknown };
    /** Node 24. */
    createTagStore?(): { run(strings: TemplateStringsArray, ...values: unknown[]): unknown };
    close(): void;
  };
}

/** `node:sqlite` where this Node has it (22.5 and later), else undefined. */
function realSqlite(): RealSqlite | undefined {
  try {
    return require('node:sqlite') as RealSqlite;
  } catch {
    return undefined;
  }
}

let guard: IsolationGuard | undefined;
let patches: PatchSet | undefined;
afterEach(() => {
  patches?.restore();
  patches = undefined;
  guard?.uninstall();
  guard = undefined;
});

/** A project with a protected inbox, and a guard protecting it. */
async function guardedProject(): Promise<{ root: string; inbox: string; scratch: string }> {
  const root = tempDir('vitest-stress-sqlite-');
  const inbox = join(root, 'agent_workspaces', 'Agent-1', 'inbox');
  const scratch = join(root, 'scratch');
  mkdirSync(inbox, { recursive: true });
  mkdirSync(scratch);
  guard = await installIsolationGuard({ root, esmImportHook: false });
  return { root, inbox, scratch };
}

function attempt(call: () => unknown): unknown {
  try {
    return call();
  } catch (error) {
    return error;
  }
}

const summary = (records: readonly IsolationViolationRecord[]) =>
  records.map((v) => [v.kind, v.api, v.target]);

describe('SQL that opens files', () => {
  it('names the files of ATTACH and VACUUM INTO statements, however they are written', () => {
    expect(sqlFiles("ATTACH DATABASE '/x/a.db' AS a").files).toEqual(['/x/a.db']);
    expect(sqlFiles("attach 'b.db' as b; vacuum into 'c.db'").files).toEqual(['b.db', 'c.db']);
    expect(sqlFiles("VACUUM main INTO 'it''s.db';").files).toEqual(["it's.db"]);
    expect(sqlFiles('ATTACH /* why not */ DATABASE -- really\n "d.db" AS d').files).toEqual(['d.db']);
    expect(sqlFiles("SELECT 'ATTACH ''x'' AS y'; SELECT attach FROM t; VACUUM").files).toEqual([]);
    expect(sqlFiles("CREATE TABLE t(x); INSERT INTO t VALUES ('VACUUM INTO ''z''')")).toEqual({ files: [] });
  });

  it('cannot judge a file name given at run time, nor a temp directory, and says so', () => {
    expect(sqlFiles('ATTACH ? AS a').computed).toMatch(/^ATTACH with a file name computed/);
    expect(sqlFiles("ATTACH 'a' || '.db' AS a").computed).toMatch(/^ATTACH/);
    expect(sqlFiles('VACUUM INTO :file').computed).toMatch(/^VACUUM INTO/);
    expect(sqlFiles("PRAGMA temp_store_directory = '/x'").computed).toMatch(/^PRAGMA/);
    expect(sqlFiles("PRAGMA main.TEMP_STORE_DIRECTORY='/x'").computed).toMatch(/^PRAGMA/);
    expect(sqlFiles('PRAGMA journal_mode = WAL').computed).toBeUndefined();
  });
});

describe('the node:sqlite guard, on a stand-in module (any Node)', () => {
  /** A module shaped like node:sqlite that records what it would open. */
  function standIn() {
    const opened: string[] = [];
    class SQLTagStore {
      run(strings: readonly string[]): void {
        opened.push(`tagged ${strings.join('?')}`);
      }
    }
    class DatabaseSync {
      constructor(path: string) {
        opened.push(`open ${path}`);
      }
      close(): void {}
      createTagStore(): SQLTagStore {
        return new SQLTagStore();
      }
      exec(sql: string): void {
        opened.push(`exec ${sql}`);
      }
      prepare(sql: string): object {
        opened.push(`prepare ${sql}`);
        return {};
      }
      loadExtension(path: string): void {
        opened.push(`extension ${path}`);
      }
    }
    const backup = async (_db: unknown, path: string): Promise<number> => {
      opened.push(`backup ${path}`);
      return 1;
    };
    let warned = 0;
    const module: Record<string, unknown> = { DatabaseSync, backup };
    return { module, opened, warnOnce: () => warned++, warned: () => warned };
  }

  it('judges every file SQLite would open by the path rules, and refuses what it cannot judge', async () => {
    const { inbox, scratch } = await guardedProject();
    const sqlite = standIn();
    patches = new PatchSet();
    patchSqlite(patches, sqlite);
    const Database = sqlite.module.DatabaseSync as new (
      path: string,
      options?: object,
    ) => {
      exec(sql: string): void;
      prepare(sql: string): object;
      loadExtension(path: string): void;
      createTagStore(): { run(strings: TemplateStringsArray, ...values: unknown[]): void };
    };
    const backup = sqlite.module.backup as (db: unknown, path: string) => Promise<number>;

    const db = new Database(join(scratch, 'queue.db'));
    new Database(':memory:');
    // Reading the inbox is allowed, with SQLite as with fs.
    new (Database as new (path: string, options: object) => object)(join(inbox, 'READ.db'), {
      readOnly: true,
    });
    db.exec(`ATTACH '${join(scratch, 'more.db')}' AS more; ATTACH ':memory:' AS aux`);
    db.prepare("VACUUM INTO 'file::memory:'");
    const sql = db.createTagStore();
    sql.run`ATTACH ':memory:' AS tagged`;
    expect(sqlite.warned()).toBe(3);
    expect(guard!.violations()).toEqual([]);

    const inboxDb = join(inbox, 'INBOX.db');
    expect(isIsolationViolation(attempt(() => new Database(inboxDb)))).toBe(true);
    expect(isIsolationViolation(attempt(() => new Database(`file:${inboxDb}?mode=rwc`)))).toBe(true);
    expect(isIsolationViolation(attempt(() => db.exec(`ATTACH DATABASE '${inboxDb}' AS inbox`)))).toBe(true);
    expect(isIsolationViolation(attempt(() => db.prepare(`VACUUM INTO '${inboxDb}'`)))).toBe(true);
    expect(isIsolationViolation(attempt(() => db.exec('ATTACH ? AS inbox')))).toBe(true);
    expect(isIsolationViolation(attempt(() => db.loadExtension('/usr/lib/fileio.so')))).toBe(true);
    // Node 24's tag store: a literal file in the template's text, and a file given as a value.
    const literal = [`ATTACH '${inboxDb}' AS inbox`] as unknown as TemplateStringsArray;
    expect(isIsolationViolation(attempt(() => sql.run(literal)))).toBe(true);
    expect(isIsolationViolation(attempt(() => sql.run`ATTACH ${inboxDb} AS inbox`))).toBe(true);
    await expect(backup(db, inboxDb)).rejects.toMatchObject({ code: 'ERR_ISOLATION_VIOLATION' });
    expect(
      sqlite.opened.filter((call) => call.includes('INBOX.db') || call.includes('?') || call.includes('.so')),
    ).toEqual([]);
    expect(sqlite.opened).toContain(`open ${join(inbox, 'READ.db')}`);
    expect(summary(guard!.violations())).toEqual([
      ['fs-write', 'sqlite.DatabaseSync', inboxDb],
      ['fs-write', 'sqlite.DatabaseSync', inboxDb],
      ['fs-write', 'sqlite.DatabaseSync.exec', inboxDb],
      ['fs-write', 'sqlite.DatabaseSync.prepare', inboxDb],
      ['native', 'sqlite.DatabaseSync.exec', 'ATTACH with a file name computed at run time'],
      ['native', 'sqlite.DatabaseSync.loadExtension', 'SQLite extension /usr/lib/fileio.so'],
      ['fs-write', 'sqlite.SQLTagStore.run', inboxDb],
      ['native', 'sqlite.SQLTagStore.run', 'ATTACH with a file name computed at run time'],
      ['fs-write', 'sqlite.backup', inboxDb],
    ]);
  });
});

const sqlite = realSqlite();

// Node 20 has no node:sqlite: CI runs this on Node 22 and 24 (scripts/test-node-majors.sh); the tag store is 24's.
describe.runIf(sqlite !== undefined)(
  'the node:sqlite guard, on the real module (Node 22.5 and later)',
  () => {
    it('keeps SQLite out of the inbox: no database, no attached file, no vacuum copy appears', async () => {
      const { inbox, scratch } = await guardedProject();
      const { DatabaseSync } = sqlite!;
      const db = new DatabaseSync(join(scratch, 'queue.db'));
      db.exec(`ATTACH '${join(scratch, 'more.db')}' AS more; CREATE TABLE more.t(x)`);
      expect(existsSync(join(scratch, 'more.db'))).toBe(true);
      for (const reach of [
        () => new DatabaseSync(join(inbox, 'opened.db')),
        () => db.exec(`ATTACH '${join(inbox, 'attached.db')}' AS inbox; CREATE TABLE inbox.t(x)`),
        () => db.exec(`VACUUM INTO '${join(inbox, 'vacuumed.db')}'`),
        () => db.prepare('ATTACH ? AS inbox').run(join(inbox, 'bound.db')),
      ]) {
        expect(isIsolationViolation(attempt(reach))).toBe(true);
      }
      const tagged = db.createTagStore?.();
      if (tagged !== undefined) {
        const file = join(inbox, 'tagged.db');
        const literal = [
          `ATTACH '${file}' AS inbox; CREATE TABLE inbox.t(x)`,
        ] as unknown as TemplateStringsArray;
        expect(isIsolationViolation(attempt(() => tagged.run(literal)))).toBe(true);
        expect(isIsolationViolation(attempt(() => tagged.run`ATTACH ${file} AS inbox`))).toBe(true);
      }
      db.close();
      for (const name of ['opened.db', 'attached.db', 'vacuumed.db', 'bound.db', 'tagged.db'])
        expect(existsSync(join(inbox, name)), name).toBe(false);
      expect(guard!.violations()).toHaveLength(tagged === undefined ? 4 : 6);
    });
  },
);
