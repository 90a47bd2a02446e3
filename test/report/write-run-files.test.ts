import { mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  buildRunMetricsFile,
  formatRunTimestamp,
  type RunMetricsFile,
  readRunMetricsFile,
  renderMarkdownSummary,
  writeRunFiles,
} from '../../src/report/index.ts';
import { tempDir } from '../support/temp-dir.ts';
import { sampleRecords, sampleReports } from './report-fixture.ts';

let file: RunMetricsFile;
const now = new Date(Date.UTC(2025, 0, 28, 14, 30, 5));
const fresh = (): string => tempDir('vitest-stress-report-');

beforeAll(async () => {
  file = buildRunMetricsFile({ tests: sampleRecords(await sampleReports()), generatedAt: now });
});

describe('formatRunTimestamp', () => {
  it('formats UTC as YYYYMMDD_HHMMSS', () => {
    expect(formatRunTimestamp(now)).toBe('20250128_143005');
  });
});

describe('writeRunFiles', () => {
  it('refuses an output directory that is a link into a protected path (by default agent_workspaces, message_queue), writing nothing', async () => {
    const root = fresh();
    const queue = join(root, 'message_queue');
    const inbox = join(root, 'agent_workspaces/Agent-1/inbox');
    mkdirSync(inbox, { recursive: true });
    mkdirSync(queue);
    symlinkSync(inbox, join(root, 'logs'));
    symlinkSync(join(queue, 'later'), join(root, 'dangling'));
    for (const [directory, leadsTo] of [
      ['logs', inbox],
      ['logs/nested', join(inbox, 'nested')],
      ['dangling', join(queue, 'later')],
    ] as const) {
      await expect(writeRunFiles({ file, root, directory, stepSummary: undefined })).rejects.toMatchObject({
        code: 'ERR_ISOLATION_VIOLATION',
        details: { path: join(root, directory), real: leadsTo },
      });
    }
    // Only the paths given count when they are given; a real directory under a protected one is the user's choice.
    await expect(
      writeRunFiles({ file, root, directory: 'logs', stepSummary: undefined, protectedPaths: ['elsewhere'] }),
    ).resolves.toBeDefined();
    await expect(
      writeRunFiles({
        file,
        root,
        directory: 'agent_workspaces/reports',
        stepSummary: undefined,
        html: false,
      }),
    ).resolves.toBeDefined();
    expect(readdirSync(queue)).toEqual([]);
  });

  it('writes the metrics JSON, the Markdown summary and the HTML report under the directory, named by timestamp', async () => {
    const root = fresh();
    const paths = await writeRunFiles({ file, root, stepSummary: undefined });
    expect(paths).toEqual({
      metrics: join(root, 'logs', 'stress_test_metrics_20250128_143005.json'),
      summary: join(root, 'logs', 'stress_test_summary_20250128_143005.md'),
      html: join(root, 'logs', 'stress_test_report_20250128_143005.html'),
    });
    const html = readFileSync(paths.html!, 'utf8');
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).toContain('uPlot');
    expect(html).not.toMatch(/<script[^>]+src=|<link[^>]+href=/);
    expect(JSON.parse(readFileSync(paths.metrics, 'utf8'))).toEqual(file);
    expect(readFileSync(paths.summary, 'utf8')).toBe(renderMarkdownSummary(file));
    expect(readdirSync(join(root, 'logs')).sort()).toEqual([
      'stress_test_metrics_20250128_143005.json',
      'stress_test_report_20250128_143005.html',
      'stress_test_summary_20250128_143005.md',
    ]);
  });

  it('never overwrites a run of the same second', async () => {
    const root = fresh();
    await writeRunFiles({ file, root, directory: 'out', stepSummary: undefined });
    const second = await writeRunFiles({ file, root, directory: 'out', stepSummary: undefined });
    expect(second.metrics).toBe(join(root, 'out', 'stress_test_metrics_20250128_143005_2.json'));
  });

  it('appends the summary to the step summary file', async () => {
    const root = fresh();
    const step = join(root, 'step.md');
    writeFileSync(step, 'before\n');
    const paths = await writeRunFiles({ file, root, stepSummary: step });
    expect(paths.stepSummary).toBe(step);
    expect(readFileSync(step, 'utf8')).toBe(`before\n${renderMarkdownSummary(file)}\n`);
  });

  it('refuses a file that does not match the schema, writing nothing', async () => {
    const root = fresh();
    const broken = { ...file, verdict: { ...file.verdict, ok: 'maybe' } } as unknown as RunMetricsFile;
    await expect(writeRunFiles({ file: broken, root, stepSummary: undefined })).rejects.toMatchObject({
      code: 'ERR_INVALID_METRICS_FILE',
      message: expect.stringContaining('verdict.ok: must be boolean'),
    });
    expect(readdirSync(root)).toEqual([]);
  });
});

describe('readRunMetricsFile', () => {
  it('reads back what writeRunFiles wrote', async () => {
    const paths = await writeRunFiles({ file, root: fresh(), stepSummary: undefined });
    expect(await readRunMetricsFile(paths.metrics)).toEqual(file);
  });

  it('names the file and the problem: missing, not JSON (with position), or off-schema', async () => {
    const root = fresh();
    await expect(readRunMetricsFile(join(root, 'none.json'))).rejects.toThrow(/none\.json does not exist/);
    writeFileSync(join(root, 'bad.json'), '{\n  "a": 1,\n}');
    await expect(readRunMetricsFile(join(root, 'bad.json'))).rejects.toThrow(
      /not valid JSON at line 3, column 1/,
    );
    writeFileSync(join(root, 'off.json'), '{"schema_version": 2}');
    await expect(readRunMetricsFile(join(root, 'off.json'))).rejects.toMatchObject({
      code: 'ERR_INVALID_METRICS_FILE',
      message: expect.stringContaining('schema_version: must be 1'),
    });
  });
});
