import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve, sep } from 'node:path';
import type { Reporter, Test, TestResult } from '@jest/reporters';
import type { Config } from '@jest/types';
import { strayViolationReason } from '../isolation/stray-violations.ts';
import {
  buildRunMetricsFile,
  createStressTestRecord,
  type RunFilePaths,
  type RunMetricsFile,
  renderTerminalSummary,
  type StressTestRecord,
  shouldUseColor,
  writeRunFiles,
} from '../report/index.ts';
import type { StressTestState } from '../report/run-metrics-file.ts';
import { RUN_DIRECTORY_VARIABLE, readFileResults } from './run-directory.ts';

/** Options of the Jest reporter: `reporters: ['default', ['vitest-stress/jest-reporter', { ... }]]`. */
export interface StressJestReporterOptions {
  /** Where the metrics and summary files go. @default the stress project's `outputDir` (`<rootDir>/logs`) */
  readonly outputDir?: string;
  /** Append the Markdown summary to `$GITHUB_STEP_SUMMARY` when it is set. @default the project's `stepSummary` */
  readonly stepSummary?: boolean;
}

const STATES: Record<string, StressTestState> = { passed: 'passed', failed: 'failed' };
const firstLine = (text: string): string => text.split('\n', 1)[0] ?? '';

/**
 * The stress reporter for Jest: owns a run directory (a fresh temporary one per run, watch reruns included,
 * announced to the workers through `VITEST_STRESS_JEST_RUN_DIR`), reads each test file's stress results the
 * environment wrote there, joins them with Jest's own test outcomes, and at the end writes the same metrics
 * JSON and summaries as the Vitest reporter, failing the run when thresholds, invariants or isolation did.
 */
export default class StressJestReporter implements Reporter {
  readonly #global: Config.GlobalConfig;
  readonly #options: StressJestReporterOptions;
  #directory: string | undefined;
  #records: StressTestRecord[] = [];
  #reasons: string[] = [];
  #outputDir: string | undefined;
  #stepSummary: boolean | undefined;
  #error: Error | undefined;
  /** What the last run wrote and judged, for tests and tools. */
  lastRun: { readonly file: RunMetricsFile; readonly paths: RunFilePaths } | undefined;

  constructor(globalConfig: Config.GlobalConfig, options: StressJestReporterOptions = {}) {
    this.#global = globalConfig;
    this.#options = options ?? {};
  }

  onRunStart(): void {
    this.#cleanUp();
    this.#records = [];
    this.#reasons = [];
    this.#error = undefined;
    this.lastRun = undefined;
    this.#directory = mkdtempSync(join(tmpdir(), 'vitest-stress-jest-'));
    // Workers are started after onRunStart (and again for every watch rerun), so they inherit this run's directory.
    process.env[RUN_DIRECTORY_VARIABLE] = this.#directory;
  }

  async onTestFileResult(test: Test, testResult: TestResult): Promise<void> {
    if (this.#directory === undefined) return;
    const config = test.context.config;
    const stress = (
      config.testEnvironmentOptions as { stress?: { outputDir?: unknown; stepSummary?: unknown } }
    ).stress;
    const written = await readFileResults(this.#directory, test.path);
    if (written === undefined) {
      if (stress !== undefined && testResult.testExecError !== undefined) {
        this.#reasons.push(
          `${relative(this.#global.rootDir, test.path)} failed to run: ${firstLine(testResult.testExecError.message)}`,
        );
      }
      return;
    }
    if (typeof stress?.outputDir === 'string') this.#outputDir ??= stress.outputDir;
    if (typeof stress?.stepSummary === 'boolean') this.#stepSummary ??= stress.stepSummary;
    const file = relative(config.rootDir, test.path).split(sep).join('/');
    for (const violation of written.stray_violations ?? [])
      this.#reasons.push(strayViolationReason(file, violation));
    for (const assertion of testResult.testResults) {
      const name = [...assertion.ancestorTitles, assertion.title].join(' > ');
      const result = written.results[name];
      if (result === undefined) continue;
      this.#records.push(
        createStressTestRecord(
          {
            name,
            file,
            project: config.displayName?.name ?? 'stress',
            state: STATES[assertion.status] ?? 'skipped',
            duration_ms: assertion.duration ?? null,
            errors: assertion.failureMessages.map(firstLine),
          },
          result,
        ),
      );
    }
  }

  async onRunComplete(): Promise<void> {
    this.#cleanUp();
    if (this.#records.length === 0 && this.#reasons.length === 0) return;
    const tests = [...this.#records].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
    const file = buildRunMetricsFile({ tests, extraReasons: this.#reasons });
    const root = this.#global.rootDir;
    const stepSummary = this.#options.stepSummary ?? this.#stepSummary ?? true;
    const paths = await writeRunFiles({
      file,
      root,
      directory: resolve(root, this.#options.outputDir ?? this.#outputDir ?? 'logs'),
      ...(stepSummary ? {} : { stepSummary: undefined }),
    });
    this.lastRun = { file, paths };
    const shown = (path: string): string => relative(process.cwd(), path) || path;
    const color = shouldUseColor(process.stderr);
    process.stderr.write(
      `\n${renderTerminalSummary(file, { color, files: { metrics: shown(paths.metrics), summary: shown(paths.summary), ...(paths.html ? { html: shown(paths.html) } : {}) } })}\n`,
    );
    if (!file.verdict.ok) {
      // A run whose tests passed but whose thresholds, invariants or isolation failed still fails.
      this.#error = new Error(`vitest-stress: the stress run failed: ${file.verdict.reasons.join('; ')}`);
      process.exitCode = 1;
    }
  }

  getLastError(): Error | undefined {
    return this.#error;
  }

  #cleanUp(): void {
    if (this.#directory !== undefined) rmSync(this.#directory, { recursive: true, force: true });
    this.#directory = undefined;
  }
}
