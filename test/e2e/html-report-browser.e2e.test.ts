import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { RunMetricsFile } from '../../src/report/index.ts';
import { tempDir } from '../support/temp-dir.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const CLI = join(ROOT, 'dist/cli/main.js');
// Debian's chromium; /usr/bin/chromium is a wrapper script, the real binary sits next to its libraries.
const CHROMIUM = ['/usr/lib/chromium/chromium', '/usr/bin/chromium'].find((path) => existsSync(path));

interface DrawnChart {
  readonly test: string;
  readonly title: string;
  readonly points: number;
  readonly element: string;
  readonly bands: readonly { kind: string; start_s: number; end_s: number; x0: number; x1: number }[];
}

describe('the HTML report in a real browser', () => {
  it('draws every chart with data and the chaos bands at the times of the chaos events', async () => {
    if (CHROMIUM === undefined) {
      throw new Error(
        "Chromium not found at /usr/lib/chromium/chromium or /usr/bin/chromium: install Debian's `chromium` package (.ci/run does) to run the browser test.",
      );
    }
    const out = tempDir('vitest-stress-html-');
    const run = spawnSync(process.execPath, [CLI, 'run', '--chaos', 'harsh', '--seed', '3', '--out', out], {
      cwd: out,
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '1', GITHUB_STEP_SUMMARY: '' },
    });
    expect(run.status, run.stderr).not.toBe(2);
    const names = readdirSync(out);
    const html = names.find((name) => /^stress_test_report_\d{8}_\d{6}\.html$/.test(name));
    const json = names.find((name) => /^stress_test_metrics_\d{8}_\d{6}\.json$/.test(name));
    expect(html, names.join(', ')).toBeDefined();
    const file = JSON.parse(readFileSync(join(out, json!), 'utf8')) as RunMetricsFile;
    const timeline = file.tests[0]!.metrics!.timeline!;
    expect(timeline.chaos_events.length).toBeGreaterThan(0);
    expect(statSync(join(out, html!)).size).toBeLessThan(2 * 1024 * 1024);

    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
    try {
      const page = await browser.newPage({ viewport: { width: 1100, height: 1400 } });
      const problems: string[] = [];
      page.on('console', (message) => {
        if (message.type() === 'error' || message.type() === 'warning') problems.push(message.text());
      });
      page.on('pageerror', (error) => problems.push(error.message));
      // Any request beyond the file itself would mean the page is not self-contained.
      page.on('request', (request) => {
        if (!request.url().startsWith('file:')) problems.push(`network request: ${request.url()}`);
      });
      await page.goto(`file://${join(out, html!)}`);
      await page.waitForSelector('body[data-ready="true"]', { timeout: 20_000 });
      expect(problems).toEqual([]);
      expect(await page.textContent('#verdict')).toMatch(/^(PASS|FAIL)/);

      // Page code is passed as strings: the test's tsconfig has no DOM types.
      const charts = (await page.evaluate('window.__stressReport.charts')) as DrawnChart[];
      expect(charts.map((c) => c.title)).toEqual(['Throughput', 'Latency percentiles', 'Queue depth']);
      for (const chart of charts) {
        expect(chart.points, chart.title).toBeGreaterThan(0);
        // Every chart shades every chaos event, at its start and end on the run clock.
        expect(chart.bands.map((b) => [b.kind, b.start_s, b.end_s])).toEqual(
          timeline.chaos_events.map((e) => [e.kind, e.start_ms / 1000, e.end_ms / 1000]),
        );
        const canvas = (await page.evaluate(
          `(() => { const c = document.getElementById(${JSON.stringify(chart.element)}).querySelector('canvas'); return { width: c.width, height: c.height }; })()`,
        )) as { width: number; height: number };
        expect(canvas.width).toBeGreaterThan(300);
      }
      // The shading is really on the canvas: inside a band the pixel is tinted, left of every band it is not.
      const tint = (await page.evaluate(`(() => {
        const el = document.getElementById(${JSON.stringify(charts[2]!.element)});
        const ctx = el.querySelector('canvas').getContext('2d');
        const bands = JSON.parse(el.getAttribute('data-bands'));
        const wide = bands.reduce((a, b) => (b.x1 - b.x0 > a.x1 - a.x0 ? b : a));
        const y = Math.round(ctx.canvas.height / 2);
        const inside = ctx.getImageData(Math.floor((wide.x0 + wide.x1) / 2), y, 1, 1).data;
        const left = Math.max(0, Math.floor(Math.min(...bands.map((b) => b.x0))) - 40);
        const before = ctx.getImageData(left, y, 1, 1).data;
        return { inside: [...inside], before: [...before] };
      })()`)) as { inside: number[]; before: number[] };
      expect(tint.inside[3]).toBeGreaterThan(0);
      expect(tint.inside.slice(0, 3)).not.toEqual(tint.before.slice(0, 3));
      expect(await page.locator('table.heatmap td[title*="failed"]').count()).toBeGreaterThan(0);
      expect(await page.textContent('code.replay')).toContain('--seed 3');
      await page.screenshot({ path: join(ROOT, 'logs', 'stress_test_report_browser.png'), fullPage: true });
    } finally {
      await browser.close();
    }
  });
});
