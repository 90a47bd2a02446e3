import { readdir } from 'node:fs/promises';
import { relative, resolve, sep } from 'node:path';
import type { Reporter, TestCase, TestModule, Vitest } from 'vitest/node';
import { strayViolationReason } from '../isolation/stray-violations.ts';
import {
  buildRunMetricsFile,
  createStressTestRecord,
  type RunFilePaths,
  type RunMetricsFile,
  renderTerminalSummary,
  type StressTestRecord,
  type StressTestResult,
  shouldUseColor,
  writeRunFiles,
} from '../report/index.ts';
import { type ShardRef, shardCoverage, shardCoverageReasons } from './missing-shards.ts';
import type { StressReporterOptions } from './stress-plugin.ts';
import './task-meta.ts';

/**
 * The run's tests in report order, by id: files by path relative to `root`, and within a file in declaration
 * order, as Vitest's own structure lists them (`testModule.children.allTests()`).
 */
function declarationOrder(modules: ReadonlyArray<TestModule>, root: string): Map<string, number> {
  const path = (module: TestModule): string => relative(root, module.moduleId).split(sep).join('/');
  const order = new Map<string, number>();
  for (const module of [...modules].sort((a, b) => (path(a) < path(b) ? -1 : path(a) > path(b) ? 1 : 0))) {
    for (const test of module.children.allTests()) order.set(test.id, order.size);
  }
  return order;
}

const firstLine = (text: string): string => text.split('\n', 1)[0] ?? '';

/**
 * The stress reporter: collects every stress test's measurements from `task.meta` as results arrive, and at the
 * end of the run writes the metrics JSON and Markdown summary (atomically; appended to `$GITHUB_STEP_SUMMARY`),
 * prints a terminal summary, and fails the run when a threshold, an invariant or the isolation guard did,
 * even if every test body passed. A shard writes nothing: `--merge-reports` writes the one file.
 */
export class StressReporter implements Reporter {
  /** Lets the plugin recognise an instance in the reporters list. */
  readonly stressReporter = true;
  readonly options: StressReporterOptions;
  #vitest: Vitest | undefined;
  #records = new Map<string, StressTestRecord & { id: string }>();
  #shards = new Map<string, ShardRef>();
  /** What the last run wrote and judged, for tests and tools. */
  lastRun: { readonly file: RunMetricsFile; readonly paths: RunFilePaths | undefined } | undefined;

  constructor(options: StressReporterOptions = {}) {
    this.options = options;
  }

  onInit(vitest: Vitest): void {
    this.#vitest = vitest;
  }

  onTestRunStart(): void {
    // Watch mode reruns: every run reports only its own tests.
    this.#records.clear();
    this.#shards.clear();
    this.lastRun = undefined;
  }

  onTestCaseResult(testCase: TestCase): void {
    const meta = testCase.meta();
    const result = meta.stressResult as StressTestResult | undefined;
    if (meta.stressShard !== undefined) this.#shards.set(testCase.id, meta.stressShard);
    const projects = this.options.projects;
    if (result === undefined && (projects === undefined || !projects.includes(testCase.project.name))) return;
    const outcome = testCase.result();
    const root = this.#vitest?.config.root ?? process.cwd();
    const record = createStressTestRecord(
      {
        name: testCase.fullName,
        file: relative(root, testCase.module.moduleId).split(sep).join('/'),
        project: testCase.project.name,
        state: outcome.state,
        duration_ms: testCase.diagnostic()?.duration ?? null,
        errors: (outcome.errors ?? []).map((error) => firstLine(error.message ?? String(error))),
      },
      result ?? {
        options: {},
        runs: 0,
        metrics: null,
        snapshot: null,
        isolation: { mode: 'off', violations: [] },
        replay: null,
      },
    );
    this.#records.set(testCase.id, { ...record, id: testCase.id });
  }

  async onTestRunEnd(
    modules: ReadonlyArray<TestModule>,
    _errors: ReadonlyArray<unknown>,
    reason: 'passed' | 'interrupted' | 'failed',
  ): Promise<void> {
    const vitest = this.#vitest;
    const config = vitest?.config;
    // Escapes that belong to no running test (setup.ts's afterAll puts them on the file's meta).
    const moduleRoot = config?.root ?? process.cwd();
    const strays = modules.flatMap((module) =>
      (module.meta().stressStrayViolations ?? []).map((violation) =>
        strayViolationReason(relative(moduleRoot, module.moduleId).split(sep).join('/'), violation),
      ),
    );
    if (this.#records.size === 0 && strays.length === 0) return;
    const order = declarationOrder(modules, config?.root ?? process.cwd());
    // A test Vitest no longer lists (none expected) keeps its arrival order, after the others.
    const rank = (id: string): number => order.get(id) ?? Number.MAX_SAFE_INTEGER;
    const tests = [...this.#records.values()]
      .sort((a, b) => rank(a.id) - rank(b.id))
      .map(({ id: _id, ...record }) => record as StressTestRecord);
    const extraReasons = [
      ...strays,
      ...(reason === 'interrupted' ? ['the run was interrupted before every test finished'] : []),
    ];
    if (config?.mergeReports) extraReasons.push(...(await this.#mergeReasons(resolve(config.mergeReports))));
    const file = buildRunMetricsFile({ tests, extraReasons });
    const color = shouldUseColor(process.stdout);
    const log = (text: string): void => (vitest ? vitest.logger.log(text) : console.log(text));
    if (config?.shard !== undefined && !config.mergeReports) {
      // A shard sees part of the run: its tests travel in the blob, and `--merge-reports` writes the one file.
      this.lastRun = { file, paths: undefined };
      log(
        `vitest-stress: shard ${config.shard.index}/${config.shard.count} collected ${tests.length} stress test(s); run --merge-reports for the metrics file.`,
      );
      if (!file.verdict.ok) process.exitCode = 1;
      return;
    }
    const root = config?.root ?? process.cwd();
    let paths: RunFilePaths;
    try {
      paths = await writeRunFiles({
        file,
        root,
        directory: resolve(root, this.options.outputDir ?? 'logs'),
        ...(this.options.stepSummary === false ? { stepSummary: undefined } : {}),
        ...(this.options.protectedPaths === undefined ? {} : { protectedPaths: this.options.protectedPaths }),
      });
    } catch (error) {
      if ((error as { code?: unknown }).code !== 'ERR_ISOLATION_VIOLATION') throw error;
      // The output directory leads into a protected path: nothing was written, and the run fails saying why.
      this.lastRun = { file, paths: undefined };
      log(`\n${renderTerminalSummary(file, { color })}`);
      const message = `vitest-stress: ${(error as Error).message}`;
      if (vitest) vitest.logger.error(message);
      else console.error(message);
      process.exitCode = 1;
      return;
    }
    this.lastRun = { file, paths };
    const shown = (path: string): string => relative(process.cwd(), path) || path;
    log(
      `\n${renderTerminalSummary(file, { color, files: { metrics: shown(paths.metrics), summary: shown(paths.summary), ...(paths.html ? { html: shown(paths.html) } : {}) } })}`,
    );
    // The backstop: a run whose tests passed but whose thresholds, invariants or isolation failed exits non-zero.
    if (!file.verdict.ok) process.exitCode = 1;
  }

  /** A merge that knows it lacks shards says so and fails: its totals cover part of the run. */
  async #mergeReasons(blobDirectory: string): Promise<string[]> {
    const names = await readdir(blobDirectory).catch(() => [] as string[]);
    return shardCoverageReasons(shardCoverage(names, [...this.#shards.values()]));
  }
}
