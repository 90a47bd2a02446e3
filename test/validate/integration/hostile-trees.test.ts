import { execFileSync } from 'node:child_process';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  formatFindingsTable,
  type IntegrationReport,
  validateIntegration,
} from '../../../src/validate/integration/index.ts';
import { readSourceFile } from '../../../src/validate/integration/read-source-file.ts';
import { tempDir } from '../../support/temp-dir.ts';

const ROOT = resolve(import.meta.dirname, '../../..');
const INBOX_WRITE = `import { writeFileSync } from 'node:fs';\nwriteFileSync('agent_workspaces/Agent-1/inbox/m.md', 'x');\n`;
const CLEAN = `import { writeFileSync } from 'node:fs';\nwriteFileSync('logs/metrics.json', '{}');\n`;

/** Bytes from a fixed linear congruential sequence: the same "random" file on every run. */
function pseudoRandomBytes(length: number): Buffer {
  const bytes = Buffer.alloc(length);
  let state = 12345;
  for (let index = 0; index < length; index += 1) {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    bytes[index] = state >> 16;
  }
  return bytes;
}

/** A project directory that sees the repository's node_modules (and so `@types/node`) unless told not to. */
function project(prefix: string, withTypes = true): string {
  const dir = tempDir(prefix);
  if (withTypes) symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
  return dir;
}

let socket: Server;
let hostile: string;
let report: IntegrationReport;
const HOSTILE = [
  'clean.stress.ts',
  'fifo.stress.ts',
  'socket.stress.ts',
  'zero.stress.ts',
  'loop.stress.ts',
  'dangling.stress.ts',
  'big.stress.ts',
  'binary.stress.ts',
  'random.stress.ts',
  'empty.stress.ts',
  'syntax.stress.ts',
  'imports-fifo.stress.ts',
];

beforeAll(async () => {
  hostile = project('vitest-stress-hostile-');
  const at = (name: string): string => join(hostile, name);
  writeFileSync(at('clean.stress.ts'), CLEAN);
  execFileSync('mkfifo', [at('fifo.stress.ts')]);
  execFileSync('mkfifo', [at('helper-fifo.ts')]);
  writeFileSync(at('imports-fifo.stress.ts'), `import './helper-fifo.ts';\n${CLEAN}`);
  socket = createServer();
  await new Promise<void>((done) => socket.listen(at('socket.stress.ts'), done));
  symlinkSync('/dev/zero', at('zero.stress.ts'));
  symlinkSync('loop.stress.ts', at('loop.stress.ts'));
  symlinkSync('nowhere.ts', at('dangling.stress.ts'));
  writeFileSync(at('big.stress.ts'), `${CLEAN}${'// padding\n'.repeat(200)}`);
  writeFileSync(at('binary.stress.ts'), Buffer.from([0x69, 0x6d, 0x70, 0x00, 0x01, 0x02, 0x6f]));
  writeFileSync(at('random.stress.ts'), pseudoRandomBytes(512));
  writeFileSync(at('empty.stress.ts'), '');
  writeFileSync(at('syntax.stress.ts'), `${CLEAN}export const broken = ;\n`);
  report = await validateIntegration(HOSTILE, { root: hostile, maxFileBytes: 1000 });
}, 60_000);

afterAll(async () => {
  await new Promise((done) => socket.close(done));
});

describe('validateIntegration on hostile trees', () => {
  it('reports every file it could not check, with the reason, and never hangs or gives up on the project', () => {
    expect(Object.fromEntries(report.unchecked.map((file) => [file.file, file.reason]))).toEqual({
      'fifo.stress.ts': 'special-file',
      'helper-fifo.ts': 'special-file',
      'socket.stress.ts': 'special-file',
      'zero.stress.ts': 'special-file',
      'loop.stress.ts': 'symlink-loop',
      'dangling.stress.ts': 'missing',
      'big.stress.ts': 'too-large',
      'binary.stress.ts': 'binary',
      'random.stress.ts': 'binary',
      'empty.stress.ts': 'empty',
      'syntax.stress.ts': 'syntax-error',
    });
    const messages = report.unchecked.map((file) => file.message).join('\n');
    expect(messages).toContain(
      'fifo.stress.ts is a FIFO (named pipe), not a source file; it was not checked.',
    );
    expect(messages).toContain('zero.stress.ts is a character device');
    expect(messages).toMatch(/syntax\.stress\.ts:3:\d+ does not parse \(Expression expected\.\)/);
    expect(messages).toContain('over the 1000-byte bound');
  });

  it('checks what it could read, and gives no all-clear', () => {
    expect(report.files).toEqual(['clean.stress.ts', 'syntax.stress.ts', 'imports-fifo.stress.ts']);
    expect(report).toMatchObject({ findings: [], skipped_checks: [], verdict: 'incomplete', ok: false });
    const table = formatFindingsTable(report);
    expect(table).not.toContain('cannot reach real delivery');
    expect(table).toContain('3 files checked: no findings, but 11 files could not be checked.');
    expect(table).toMatch(/^ {2}special-file {2}fifo\.stress\.ts is a FIFO/m);
  });

  it('gives the all-clear for the readable files alone, so only the hostile ones made it incomplete', async () => {
    const clean = await validateIntegration(['clean.stress.ts'], { root: hostile });
    expect(clean).toMatchObject({ verdict: 'clear', ok: true, unchecked: [], files: ['clean.stress.ts'] });
    expect(formatFindingsTable(clean)).toContain('The stress tests cannot reach real delivery.');
  }, 60_000);

  it('still reports findings in readable files next to unreadable ones, with the findings verdict', async () => {
    writeFileSync(join(hostile, 'writes.stress.ts'), INBOX_WRITE);
    const mixed = await validateIntegration(['writes.stress.ts', 'loop.stress.ts'], { root: hostile });
    expect(mixed.verdict).toBe('findings');
    expect(mixed.findings.map((finding) => finding.check)).toEqual(['protected-write']);
    expect(mixed.unchecked.map((file) => file.reason)).toEqual(['symlink-loop']);
    expect(formatFindingsTable(mixed)).toMatch(/Not checked:\n {2}symlink-loop {2}loop\.stress\.ts/);
  }, 60_000);
});

describe('validateIntegration without Node typings (a plain JavaScript project)', () => {
  it('says protected-write could not run instead of giving the all-clear', async () => {
    const dir = project('vitest-stress-plain-js-', false);
    writeFileSync(join(dir, 'a.stress.js'), INBOX_WRITE);
    const blind = await validateIntegration(['a.stress.js'], { root: dir });
    expect(blind).toMatchObject({ verdict: 'incomplete', ok: false, findings: [] });
    expect(blind.skipped_checks.map((skip) => skip.check)).toEqual(['protected-write']);
    expect(formatFindingsTable(blind)).toContain('1 check could not run');
  }, 60_000);

  it('finds the same write once the typings resolve', async () => {
    const dir = project('vitest-stress-typed-js-');
    writeFileSync(join(dir, 'a.stress.js'), INBOX_WRITE);
    const typed = await validateIntegration(['a.stress.js'], { root: dir });
    expect(typed.skipped_checks).toEqual([]);
    expect(typed.findings.map((finding) => `${finding.check} ${finding.line}`)).toEqual([
      'protected-write 2',
    ]);
  }, 60_000);
});

describe('validateIntegration false positives', () => {
  it('lets mkdir of an existing inbox pass and flags it while the inbox does not exist', async () => {
    const dir = project('vitest-stress-mkdir-');
    const source = `import { mkdirSync } from 'node:fs';\nmkdirSync('agent_workspaces/Agent-1/inbox', { recursive: true });\n`;
    writeFileSync(join(dir, 'a.stress.ts'), source);
    const missing = await validateIntegration(['a.stress.ts'], { root: dir });
    expect(missing.findings.map((finding) => finding.check)).toEqual(['protected-write']);
    mkdirSync(join(dir, 'agent_workspaces/Agent-1/inbox'), { recursive: true });
    const existing = await validateIntegration(['a.stress.ts'], { root: dir });
    expect(existing).toMatchObject({ verdict: 'clear', findings: [] });
  }, 60_000);

  it('flags a network client unless allowNetwork is set', async () => {
    const dir = project('vitest-stress-network-');
    writeFileSync(
      join(dir, 'a.stress.ts'),
      `import http from 'node:http';\nexport const get = () => http.get('http://127.0.0.1:9/');\n`,
    );
    const refused = await validateIntegration(['a.stress.ts'], { root: dir });
    expect(refused.findings.map((finding) => finding.message)).toEqual([
      expect.stringContaining('`node:http` reaches the network (its client side: `get`)'),
    ]);
    const allowed = await validateIntegration(['a.stress.ts'], { root: dir, allowNetwork: true });
    expect(allowed).toMatchObject({ verdict: 'clear', findings: [] });
  }, 60_000);
});

describe('readSourceFile', () => {
  it('reads up to the bound and refuses one byte more', () => {
    const dir = tempDir('vitest-stress-read-');
    writeFileSync(join(dir, 'a.ts'), 'x'.repeat(100));
    expect(readSourceFile(join(dir, 'a.ts'), 100)).toEqual({ ok: true, text: 'x'.repeat(100) });
    expect(readSourceFile(join(dir, 'a.ts'), 99)).toMatchObject({ ok: false, reason: 'too-large' });
  });

  it('reads UTF-16 with a byte-order mark and refuses invalid UTF-8 and whitespace-only files', () => {
    const dir = tempDir('vitest-stress-read-');
    writeFileSync(
      join(dir, 'u16.ts'),
      Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('let a;', 'utf16le')]),
    );
    writeFileSync(join(dir, 'bad.ts'), Buffer.from([0x6c, 0xc3, 0x28]));
    writeFileSync(join(dir, 'blank.ts'), ' \n\t\n');
    expect(readSourceFile(join(dir, 'u16.ts'), 1000)).toEqual({ ok: true, text: 'let a;' });
    expect(readSourceFile(join(dir, 'bad.ts'), 1000)).toMatchObject({ ok: false, reason: 'binary' });
    expect(readSourceFile(join(dir, 'blank.ts'), 1000)).toMatchObject({ ok: false, reason: 'empty' });
    expect(readSourceFile(dir, 1000)).toMatchObject({ ok: false, reason: 'special-file' });
  });
});
