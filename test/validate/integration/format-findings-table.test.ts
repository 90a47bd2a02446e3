import { describe, expect, it } from 'vitest';
import { formatFindingsTable, type IntegrationReport } from '../../../src/validate/integration/index.ts';

const base: IntegrationReport = {
  schema_version: 2,
  root: '/p',
  files: ['a.stress.ts'],
  findings: [],
  unchecked: [],
  skipped_checks: [],
  verdict: 'clear',
  ok: true,
};

describe('formatFindingsTable', () => {
  it('says so when there is nothing to report', () => {
    expect(formatFindingsTable(base)).toBe(
      '1 file checked: no findings. The stress tests cannot reach real delivery.\n',
    );
  });

  it('lines findings up in columns and sums them per check', () => {
    const report: IntegrationReport = {
      ...base,
      files: ['a.stress.ts', 'helpers/b.ts'],
      ok: false,
      findings: [
        {
          check: 'forbidden-import',
          file: 'helpers/b.ts',
          line: 2,
          column: 19,
          message: '`robotjs` is GUI automation.',
        },
        {
          check: 'protected-write',
          file: 'a.stress.ts',
          line: 10,
          column: 3,
          message: '`writeFileSync` writes x.',
        },
        {
          check: 'protected-write',
          file: 'a.stress.ts',
          line: 12,
          column: 3,
          message: '`rmSync` removes y.',
        },
      ],
    };
    expect(formatFindingsTable(report).split('\n')).toEqual([
      'Check             Location           Finding',
      '----------------  -----------------  -------',
      'forbidden-import  helpers/b.ts:2:19  `robotjs` is GUI automation.',
      'protected-write   a.stress.ts:10:3   `writeFileSync` writes x.',
      'protected-write   a.stress.ts:12:3   `rmSync` removes y.',
      '',
      '2 files checked: 3 findings (forbidden-import 1, protected-write 2).',
      '',
    ]);
  });
});
