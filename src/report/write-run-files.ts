import { existsSync } from 'node:fs';
import { appendFile, mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { writeFileAtomic } from '../io/atomic-write.ts';
import { DEFAULT_PROTECTED_DIRECTORIES } from '../isolation/isolation-options.ts';
import { linkIntoProtected } from '../isolation/path-policy.ts';
import { StressError } from '../protocol/index.ts';
import { loadHtmlReportAssets } from './html-report-assets.ts';
import { renderHtmlReport } from './render-html-report.ts';
import { renderMarkdownSummary } from './render-markdown-summary.ts';
import type { RunMetricsFile } from './run-metrics-file.ts';
import { formatRunTimestamp } from './run-timestamp.ts';
import { assertRunMetricsFile } from './validate-run-metrics-file.ts';

/** Options of {@link writeRunFiles}. */
export interface WriteRunFilesOptions {
  readonly file: RunMetricsFile;
  /** Where the files go, relative to `root`. @default 'logs' */
  readonly directory?: string;
  /** @default process.cwd() */
  readonly root?: string;
  /** The time stamped into the names. @default new Date(file.generated_at) */
  readonly now?: Date;
  /** A file to append the Markdown summary to, as GitHub Actions' job summary. @default process.env.GITHUB_STEP_SUMMARY */
  readonly stepSummary?: string | undefined;
  /** Check the file against the run metrics schema first; a mismatch throws `ERR_INVALID_METRICS_FILE`. @default true */
  readonly validate?: boolean;
  /** Also write the self-contained HTML report `stress_test_report_<timestamp>.html`. @default true */
  readonly html?: boolean;
  /**
   * The run's protected paths (relative to `root`): an output directory that is a symlink into one of them is
   * refused with `ERR_ISOLATION_VIOLATION` and nothing is written (a test could plant that link, and the files are
   * written after the guard is gone). @default `agent_workspaces` and `message_queue`
   */
  readonly protectedPaths?: readonly string[];
}

/** Absolute paths of what {@link writeRunFiles} wrote. */
export interface RunFilePaths {
  readonly metrics: string;
  readonly summary: string;
  /** The HTML report; set unless `html: false`. */
  readonly html?: string;
  /** Set when the summary was appended to a step summary file. */
  readonly stepSummary?: string;
}

/** The names for `stamp`, with `_2`, `_3`... when a run of the same second already wrote them. */
function freeNames(directory: string, stamp: string): { metrics: string; summary: string; html: string } {
  for (let n = 1; ; n++) {
    const suffix = n === 1 ? stamp : `${stamp}_${n}`;
    const metrics = join(directory, `stress_test_metrics_${suffix}.json`);
    const summary = join(directory, `stress_test_summary_${suffix}.md`);
    const html = join(directory, `stress_test_report_${suffix}.html`);
    if (!existsSync(metrics) && !existsSync(summary) && !existsSync(html)) return { metrics, summary, html };
  }
}

/**
 * Writes a run's files atomically: `<directory>/stress_test_metrics_<YYYYMMDD_HHMMSS>.json` and
 * `<directory>/stress_test_summary_<YYYYMMDD_HHMMSS>.md` and the HTML report
 * `<directory>/stress_test_report_<YYYYMMDD_HHMMSS>.html`, then appends the summary to `$GITHUB_STEP_SUMMARY`
 * when set. Shared by the Vitest reporter and the CLI.
 * @example const paths = await writeRunFiles({ file: buildRunMetricsFile({ tests }) });
 */
export async function writeRunFiles(options: WriteRunFilesOptions): Promise<RunFilePaths> {
  const { file } = options;
  if (options.validate ?? true) assertRunMetricsFile(file);
  const root = options.root ?? process.cwd();
  const directory = resolve(root, options.directory ?? 'logs');
  const protectedPaths = (options.protectedPaths ?? DEFAULT_PROTECTED_DIRECTORIES).map((path) =>
    resolve(root, path),
  );
  const leadsTo = linkIntoProtected(directory, protectedPaths);
  if (leadsTo !== undefined) {
    throw new StressError(
      'ERR_ISOLATION_VIOLATION',
      `Expected the output directory \`${directory}\` to lead outside the protected paths, got a symlink that really leads to \`${leadsTo}\`: nothing was written. Remove the link (a test may have planted it) or point the output directory at a real directory.`,
      { details: { path: directory, real: leadsTo, protectedPaths } },
    );
  }
  try {
    await mkdir(directory, { recursive: true });
  } catch (error) {
    throw new StressError(
      'ERR_IO',
      `Expected to create the output directory \`${directory}\`, but it failed: ${(error as Error).message}.`,
      {
        cause: error,
        details: { path: directory },
      },
    );
  }
  const names = freeNames(directory, formatRunTimestamp(options.now ?? new Date(file.generated_at)));
  const markdown = renderMarkdownSummary(file);
  await writeFileAtomic(names.metrics, `${JSON.stringify(file, null, 2)}\n`);
  await writeFileAtomic(names.summary, markdown);
  const written: RunFilePaths = { metrics: names.metrics, summary: names.summary };
  if (options.html ?? true) {
    await writeFileAtomic(names.html, renderHtmlReport(file, await loadHtmlReportAssets()));
    Object.assign(written, { html: names.html });
  }
  const stepSummary = 'stepSummary' in options ? options.stepSummary : process.env.GITHUB_STEP_SUMMARY;
  if (stepSummary === undefined || stepSummary === '') return written;
  try {
    await appendFile(stepSummary, `${markdown}\n`);
  } catch (error) {
    throw new StressError(
      'ERR_IO',
      `Expected to append the summary to \`${stepSummary}\` ($GITHUB_STEP_SUMMARY), but it failed: ${(error as Error).message}.`,
      {
        cause: error,
        details: { path: stepSummary },
      },
    );
  }
  return { ...written, stepSummary };
}
