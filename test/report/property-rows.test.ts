import { stripVTControlCharacters } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import type { StressReport } from '../../src/engine/index.ts';
import { runStress } from '../../src/reference/run-stress.ts';
import {
  buildRunMetricsFile,
  createStressTestRecord,
  type RunMetricsFile,
  renderMarkdownSummary,
  renderTerminalSummary,
  type StressPropertyRecord,
  summarizeTestReports,
  validateRunMetricsFile,
} from '../../src/report/index.ts';

// A chaos property makes one engine run per case: its row must stand for all of them, as the totals do, and
// say what the property did (cases asked and run, the shrunk failing case), or rows and totals disagree.

const passed: StressPropertyRecord = {
  cases_asked: 3,
  cases_run: 3,
  time_limit_ms: 10_000,
  interrupted: false,
  shrinks: 0,
  shrunk_case: null,
};

let cases: StressReport[];
let single: StressReport;

beforeAll(async () => {
  cases = [
    await runStress({ agents: 2, messagesPerAgent: 10, seed: 1 }),
    await runStress({ agents: 4, messagesPerAgent: 30, seed: 2, chaos: 'original' }),
    await runStress({ agents: 3, messagesPerAgent: 5, seed: 3, profile: 'exactly-once', chaos: 'original' }),
  ];
  single = await runStress({ agents: 3, messagesPerAgent: 20, seed: 4 });
});

function runFile(property: StressPropertyRecord): RunMetricsFile {
  return buildRunMetricsFile({
    generatedAt: new Date(0),
    tests: [
      createStressTestRecord({ name: 'plain' }, summarizeTestReports([single])),
      createStressTestRecord(
        { name: 'property', state: property.shrunk_case === null ? 'passed' : 'failed' },
        summarizeTestReports(cases, { property, representative: cases[0]! }),
      ),
    ],
  });
}

/** The numeric cells of a terminal summary row, by column. */
function cells(text: string, name: string): string[] {
  const line = stripVTControlCharacters(text)
    .split('\n')
    .find((row) => row.startsWith(`${name} `));
  expect(line, name).toBeDefined();
  return line!.trim().split(/\s{2,}/);
}

const count = (cell: string): number => Number(cell.replaceAll(',', ''));

describe('a chaos property in the summaries', () => {
  it('shows every case merged in its row, so the rows add up to the totals', () => {
    const file = runFile(passed);
    expect(validateRunMetricsFile(file).valid).toBe(true);
    const text = renderTerminalSummary(file);
    const plain = cells(text, 'plain');
    const property = cells(text, 'property');
    const total = cells(text, 'Total');
    // Units, Refused, Lost, Dup
    for (const column of [1, 3, 7, 8]) {
      expect(count(plain[column]!) + count(property[column]!), `column ${column}`).toBe(
        count(total[column]!),
      );
    }
    expect(count(property[1]!)).toBe(cases.reduce((n, report) => n + report.metrics.total_processed, 0));
    const duplicated = cases.reduce((n, report) => n + report.invariants.duplicated, 0);
    expect(count(property[8]!)).toBe(duplicated);
    expect(file.tests[1]!.all_runs).toEqual({
      lost: cases.reduce((n, report) => n + report.invariants.lost, 0),
      duplicated,
      failed: cases.filter((report) => !report.ok).length,
    });
  });

  it('says how many cases passed, in the terminal and the Markdown', () => {
    const file = runFile(passed);
    expect(renderTerminalSummary(file)).toContain('Chaos properties:\n  property: 3 cases passed');
    const markdown = renderMarkdownSummary(file);
    expect(markdown).toContain('**Chaos property:** 3 cases passed');
    expect(file.tests[1]!.warnings).toEqual([]);
  });

  it('says when the time limit ran fewer cases than asked, as a warning in every summary and the file', () => {
    const file = runFile({ ...passed, cases_asked: 1000, interrupted: true });
    const warning =
      'ran 3 of the 1000 property cases asked: the 10000 ms time limit stopped generation (raise timeLimitMs ' +
      "or the project's propertyTimeLimitMs, or ask for fewer cases)";
    expect(file.tests[1]!.warnings).toContain(warning);
    const text = renderTerminalSummary(file);
    expect(text).toContain('property: 3 of 1000 cases passed (the 10,000 ms time limit cut it short)');
    expect(text).toContain(warning);
    expect(renderMarkdownSummary(file)).toContain(warning.replaceAll('|', '\\|'));
  });

  it('names the failing case and what it shrank to', () => {
    const file = runFile({
      ...passed,
      cases_asked: 25,
      cases_run: 7,
      shrinks: 4,
      shrunk_case: { workload: '1 agents x 3 deliveries', chaos: 'crash at 120 ms' },
    });
    expect(validateRunMetricsFile(file).valid).toBe(true);
    expect(renderTerminalSummary(file)).toContain(
      'property: case 7 of 25 failed; shrunk in 4 steps to 1 agents x 3 deliveries; chaos: crash at 120 ms',
    );
    expect(file.tests[1]!.warnings).toEqual([]);
  });

  it('leaves a one-run test as it was: its own metrics, no all_runs, no property line', () => {
    const file = runFile(passed);
    expect(file.tests[0]!.all_runs).toBeUndefined();
    expect(file.tests[0]!.property).toBeUndefined();
    expect(count(cells(renderTerminalSummary(file), 'plain')[1]!)).toBe(single.metrics.total_processed);
  });
});
