import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { StressError } from '../protocol/index.ts';
import type { HtmlReportAssets } from './render-html-report.ts';

let cached: Promise<HtmlReportAssets> | undefined;

/** Reads uPlot's minified script and CSS from the installed `uplot` package, once per process. */
export function loadHtmlReportAssets(): Promise<HtmlReportAssets> {
  cached ??= (async () => {
    const require = createRequire(import.meta.url);
    try {
      const script = require.resolve('uplot/dist/uPlot.iife.min.js');
      const style = require.resolve('uplot/dist/uPlot.min.css');
      const [chartScript, chartStyle] = await Promise.all([
        readFile(script, 'utf8'),
        readFile(style, 'utf8'),
      ]);
      return { chartScript, chartStyle };
    } catch (error) {
      cached = undefined;
      throw new StressError(
        'ERR_IO',
        `Expected to read the chart library from the \`uplot\` package, but it failed: ${(error as Error).message}. Reinstall vitest-stress's dependencies.`,
        { cause: error },
      );
    }
  })();
  return cached;
}
