import { resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { type IntegrationReport, validateIntegration } from '../../../src/validate/integration/index.ts';

const ROOT = resolve(import.meta.dirname, '../../..');
const TRIP = 'fixtures/validate-integration/trip-native-access.stress.ts';

let report: IntegrationReport;

beforeAll(async () => {
  report = await validateIntegration([TRIP], { root: ROOT });
}, 60_000);

const messages = (): string[] =>
  report.findings.filter((finding) => finding.check === 'native-access').map((finding) => finding.message);

describe('native-access', () => {
  it('names the door in every spelling and says what to do instead', () => {
    const found = messages();
    expect(found.filter((message) => message.startsWith('`process.binding`'))).toHaveLength(2);
    expect(found.find((message) => message.startsWith('`process.binding`'))).toContain(
      'Use the public module (`fs`, `child_process`, `net` ...)',
    );
    expect(found.filter((message) => message.startsWith('`process.dlopen`'))).toHaveLength(3);
    expect(found.find((message) => message.startsWith('`process.dlopen`'))).toContain(
      'give the target a JavaScript test double',
    );
    expect(found.find((message) => message.startsWith('`process._linkedBinding`'))).toContain(
      'no JavaScript guard can check',
    );
    expect(found.filter((message) => message.includes('Debug with `vitest --inspect` instead'))).toEqual([
      expect.stringMatching(/^`node:inspector` \(loaded here with `require`\)/),
      expect.stringMatching(/^`node:inspector\/promises` \(loaded here with `import`\)/),
    ]);
  });

  it('follows the test into the adapter it imports, and says so', () => {
    const adapter = report.findings.filter((finding) => finding.file.endsWith('helpers/native-bridge.ts'));
    expect(adapter).toHaveLength(2);
    for (const finding of adapter) expect(finding.message).toContain(`in a module imported by ${TRIP}`);
  });
});
