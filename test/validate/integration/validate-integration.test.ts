import { readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  INTEGRATION_CHECKS,
  type IntegrationCheck,
  type IntegrationReport,
  validateIntegration,
} from '../../../src/validate/integration/index.ts';

const ROOT = resolve(import.meta.dirname, '../../..');
const FIXTURES = 'fixtures/validate-integration';
const fixture = (name: string): string => `${FIXTURES}/${name}`;
const ALL = readdirSync(resolve(ROOT, FIXTURES))
  .filter((name) => name.endsWith('.stress.ts'))
  .map(fixture);
const PASSING = ALL.filter((path) => !path.includes('/trip-'));

/** For each check: the fixture that trips it, where, and the fixture that passes it. */
const TRIPS: Record<IntegrationCheck, { trip: readonly string[]; at: readonly string[]; pass: string }> = {
  'forbidden-import': {
    trip: [
      'trip-forbidden-import-gui.stress.ts',
      'trip-forbidden-import-process.stress.ts',
      'trip-forbidden-import-real-core.stress.ts',
    ],
    at: [
      'helpers/gui-driver.ts:2:19',
      'trip-forbidden-import-process.stress.ts:1:23',
      'trip-forbidden-import-process.stress.ts:9:11',
      'trip-forbidden-import-process.stress.ts:12:22',
      'trip-forbidden-import-real-core.stress.ts:5:47',
    ],
    pass: 'pass-forbidden-import.stress.ts',
  },
  'protected-write': {
    trip: ['trip-protected-write.stress.ts'],
    at: [8, 9, 10, 11, 12, 13].map((line) => `trip-protected-write.stress.ts:${line}`),
    pass: 'pass-protected-write.stress.ts',
  },
  'injection-point': {
    trip: ['trip-injection-point.stress.ts'],
    at: [11, 17, 22].map((line) => `trip-injection-point.stress.ts:${line}`),
    pass: 'pass-injection-point.stress.ts',
  },
  'messaging-core-port': {
    trip: ['trip-messaging-core-port.stress.ts'],
    at: [4, 11, 20].map((line) => `trip-messaging-core-port.stress.ts:${line}`),
    pass: 'pass-messaging-core-port.stress.ts',
  },
  'native-access': {
    trip: ['trip-native-access.stress.ts'],
    at: [
      'helpers/native-bridge.ts:7:29',
      'helpers/native-bridge.ts:8:3',
      ...['1:25', '2:10', '9:14', '10:19', '11:11', '18:5'].map((at) => `trip-native-access.stress.ts:${at}`),
    ],
    pass: 'pass-native-access.stress.ts',
  },
};

let report: IntegrationReport;

beforeAll(async () => {
  report = await validateIntegration(ALL, { root: ROOT });
}, 60_000);

const located = (check: IntegrationCheck): string[] =>
  report.findings
    .filter((finding) => finding.check === check)
    .map((finding) => `${finding.file.slice(FIXTURES.length + 1)}:${finding.line}:${finding.column}`);

describe('validateIntegration on the fixtures', () => {
  it('has a tripping and a passing fixture for every check', () => {
    expect(Object.keys(TRIPS).sort()).toEqual(Object.keys(INTEGRATION_CHECKS).sort());
    for (const { trip, pass } of Object.values(TRIPS)) {
      expect(ALL).toEqual(expect.arrayContaining([...trip, pass].map(fixture)));
    }
  });

  for (const [check, { at }] of Object.entries(TRIPS) as [
    IntegrationCheck,
    (typeof TRIPS)[IntegrationCheck],
  ][]) {
    it(`${check}: reports exactly the planted problems`, () => {
      const found = located(check);
      expect(found).toHaveLength(at.length);
      for (const [index, expected] of at.entries()) expect(found[index]).toContain(expected);
    });
  }

  it('finds nothing in the passing fixtures or the helpers they import', () => {
    const clean = [...PASSING, fixture('helpers/in-memory-target.ts')];
    expect(report.findings.filter((finding) => clean.includes(finding.file))).toEqual([]);
  });

  it('follows imports transitively and names the test a finding was reached from', () => {
    expect(report.files).toEqual(
      expect.arrayContaining([fixture('helpers/gui-driver.ts'), fixture('helpers/in-memory-target.ts')]),
    );
    const gui = report.findings.find((finding) => finding.file === fixture('helpers/gui-driver.ts'));
    expect(gui?.message).toContain('`robotjs` is GUI automation');
    expect(gui?.message).toContain(`imported by ${fixture('trip-forbidden-import-gui.stress.ts')}`);
  });

  it('explains port mismatches with the type checker’s view of the members', () => {
    const messages = report.findings.filter((f) => f.check === 'messaging-core-port').map((f) => f.message);
    expect(messages[0]).toContain(
      'Class `PyStyleMessagingCore` does not satisfy the MessagingCore port: it has no `deliver` (it has `send_message`)',
    );
    expect(messages[1]).toMatch(
      /`syncMockCore` .* its `deliver` is `\(message: Message, recipient: string\) => boolean`/,
    );
  });

  it('returns JSON-plain data with a schema version, and is not ok when anything was found', () => {
    expect(JSON.parse(JSON.stringify(report))).toEqual(report);
    expect(report).toMatchObject({
      schema_version: 2,
      root: ROOT,
      verdict: 'findings',
      ok: false,
      unchecked: [],
      skipped_checks: [],
    });
    for (const finding of report.findings)
      expect(Object.keys(finding)).toEqual(['check', 'file', 'line', 'column', 'message']);
  });
});

describe('validateIntegration options and input', () => {
  it('is ok for tests with nothing to find, and applies configured protected paths and modules', async () => {
    const clean = await validateIntegration(PASSING, { root: ROOT });
    expect(clean).toMatchObject({ verdict: 'clear', ok: true, findings: [], unchecked: [] });
    const stricter = await validateIntegration(
      [fixture('pass-protected-write.stress.ts'), fixture('pass-forbidden-import.stress.ts')],
      {
        root: ROOT,
        protectedPaths: ['logs'],
        forbiddenModules: ['node:os'],
      },
    );
    expect(
      stricter.findings.map(({ file, check, line }) => `${file.slice(FIXTURES.length + 1)}:${line} ${check}`),
    ).toEqual([
      'pass-forbidden-import.stress.ts:4 forbidden-import',
      'pass-protected-write.stress.ts:2 forbidden-import',
      'pass-protected-write.stress.ts:7 protected-write',
    ]);
    expect(stricter.findings[0]?.message).toContain('listed in `forbiddenModules`');
  }, 60_000);

  it('rejects an empty list and files that do not exist', async () => {
    await expect(validateIntegration([])).rejects.toMatchObject({ code: 'ERR_INVALID_OPTION' });
    await expect(validateIntegration(['nope.stress.ts'], { root: ROOT })).rejects.toThrow(
      /Expected `paths\[0\]` to be an existing stress test file, got "nope.stress.ts"/,
    );
    await expect(validateIntegration(ALL, { root: ROOT, tsconfig: 'missing.json' })).rejects.toMatchObject({
      code: 'ERR_INVALID_OPTION',
    });
  });
});
