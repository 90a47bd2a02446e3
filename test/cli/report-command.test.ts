import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runStress } from '../../src/reference/run-stress.ts';
import { createSandbox, ROOT, runBinary, type Sandbox } from './run-binary.ts';

let box: Sandbox;
let runFile: string;
beforeAll(async () => {
  box = createSandbox();
  const run = await runBinary(['run', '--agents', '2', '--messages-per-agent', '10', '--seed', '9'], {
    cwd: box.cwd,
    tmp: box.tmp,
  });
  expect(run.code, run.stderr).toBe(0);
  runFile = join('logs', box.files().find((file) => file.startsWith('stress_test_metrics_'))!);
  writeFileSync(
    join(box.cwd, 'report-v1.json'),
    JSON.stringify((await runStress({ agents: 2, messagesPerAgent: 5 })).metrics),
  );
}, 60_000);
afterAll(() => box.remove());

const report = (...args: string[]) => runBinary(['report', ...args], { cwd: box.cwd, tmp: box.tmp });

describe('vitest-stress report', { timeout: 60_000 }, () => {
  it('renders a run metrics file as a terminal table and as Markdown', async () => {
    const text = await report(runFile);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/2 agents x 10 messages, seed 9\s+20\s+100\.00%/);
    const markdown = await report(runFile, '--format', 'md');
    expect(markdown.code).toBe(0);
    expect(markdown.stdout).toMatch(/^## ✅ vitest-stress: passed/);
  });

  it('renders a run metrics file as the self-contained HTML report, and refuses html for other files', async () => {
    const html = await report(runFile, '--format', 'html');
    expect(html.code, html.stderr).toBe(0);
    expect(html.stdout).toMatch(/^<!doctype html>/);
    expect(html.stdout).toContain('id="throughput-0"');
    expect(html.stdout).toContain('2 agents x 10 messages, seed 9');
    expect(html.stdout).not.toMatch(/<script[^>]+src=/);
    const other = await report('report-v1.json', '--format', 'html');
    expect(other.code).toBe(2);
    expect(other.stderr).toMatch(/Expected a run metrics file/);
  });

  it('renders a metrics report v1', async () => {
    const result = await report('report-v1.json');
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^vitest-stress metrics report PASS/);
    expect(result.stdout).toMatch(/Delivered\s+10/);
  });

  it('exits 2 with one line naming the file and the problem for bad files', async () => {
    writeFileSync(
      join(box.cwd, 'truncated.json'),
      '{\n  "schema_version": 1,\n  "kind": "vitest-stress-run",\n  "generated_at": \n}\n',
    );
    const cases: readonly (readonly [string, RegExp])[] = [
      ['missing.json', /missing\.json does not exist\./],
      ['truncated.json', /truncated\.json is not valid JSON at line 5, column 1/],
      [join(ROOT, 'fixtures/cli/not-metrics.json'), /not-metrics\.json does not match the metrics schema v1/],
      [join(ROOT, 'package.json'), /package\.json is not a vitest-stress file/],
    ];
    for (const [file, message] of cases) {
      const result = await report(file);
      expect(result.code, file).toBe(2);
      expect(result.stdout).toBe('');
      expect(result.stderr).toMatch(message);
      expect(result.stderr.trimEnd().split('\n'), result.stderr).toHaveLength(1);
      expect(result.stderr).not.toMatch(/\n\s+at /);
    }
  });
});
