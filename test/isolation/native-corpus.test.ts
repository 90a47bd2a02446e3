import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { ESCAPES } from '../../fixtures/isolation/index.ts';
import type { IsolationViolationRecord } from '../../src/isolation/index.ts';

interface NativeReport {
  readonly escapes: readonly {
    readonly name: string;
    readonly expected: { readonly kind: string; readonly target: string; readonly api: string };
    readonly violations: readonly IsolationViolationRecord[];
    readonly errorCode?: string;
    readonly errorName?: string;
  }[];
  readonly clean: readonly {
    readonly name: string;
    readonly violations: readonly unknown[];
    readonly error: string;
  }[];
  readonly observed?: { readonly violations: readonly IsolationViolationRecord[]; readonly error: string };
  readonly unchanged: boolean;
  readonly marker: boolean;
  readonly arrivals: { readonly tcp: number; readonly udp: number };
}

const RUNNER = fileURLToPath(new URL('./native-corpus-runner.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CORPUS = fileURLToPath(new URL('../../fixtures/isolation/', import.meta.url));

let report: NativeReport;

beforeAll(async () => {
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', RUNNER], { cwd: ROOT });
  report = JSON.parse(stdout) as NativeReport;
}, 60_000);

describe('escape corpus under the guard, in a plain Node process (native ESM loader)', () => {
  it('ran every escape', () => {
    expect(report.escapes.map((attempt) => attempt.name)).toEqual(ESCAPES.map((attempt) => attempt.name));
  });

  for (const attempt of ESCAPES) {
    it(`catches: ${attempt.name}`, () => {
      const outcome = report.escapes.find((candidate) => candidate.name === attempt.name);
      const first = outcome?.violations[0];
      expect(first).toMatchObject({ ...outcome?.expected, test: attempt.name, blocked: true });
      expect(first?.frame?.startsWith(CORPUS), `frame ${first?.frame}`).toBe(true);
    });
  }

  it('refuses forbidden imports with a coded StressError that crossed from the loader thread', () => {
    const imports = report.escapes.filter((attempt) => attempt.expected.api === 'import');
    expect(imports.length).toBeGreaterThanOrEqual(4);
    for (const attempt of imports) {
      expect({ code: attempt.errorCode, name: attempt.errorName }).toEqual({
        code: 'ERR_ISOLATION_VIOLATION',
        name: 'StressError',
      });
    }
  });

  it('records a forbidden import in observe mode and lets it load', () => {
    expect(report.observed?.error).toBe('');
    expect(report.observed?.violations).toMatchObject([{ kind: 'module', api: 'import', blocked: false }]);
  });

  it('records no violation for allowed work', () => {
    for (const work of report.clean) expect(work).toEqual({ name: work.name, violations: [], error: '' });
  });

  it('let nothing reach the disk, the network or a process', () => {
    expect({ unchanged: report.unchanged, marker: report.marker, arrivals: report.arrivals }).toEqual({
      unchanged: true,
      marker: false,
      arrivals: { tcp: 0, udp: 0 },
    });
  });
});
