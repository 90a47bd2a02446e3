import { mkdirSync, readdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { TestCase, TestModule, Vitest } from 'vitest/node';
import { runStress } from '../../src/reference/run-stress.ts';
import type { StressTestResult } from '../../src/report/index.ts';
import { summarizeTestReports } from '../../src/report/index.ts';
import { StressReporter } from '../../src/vitest/stress-reporter.ts';
import { tempDir } from '../support/temp-dir.ts';

let result: StressTestResult;
const savedExitCode = process.exitCode;

beforeAll(async () => {
  result = summarizeTestReports([
    await runStress({ agents: 2, messagesPerAgent: 5, thresholds: { success_rate: '== 1' } }),
  ]);
});

afterEach(() => {
  process.exitCode = savedExitCode;
});

function testCase(id: string, name: string, meta: object, state = 'passed', project = 'stress'): TestCase {
  return {
    id,
    fullName: name,
    project: { name: project },
    module: { moduleId: '/root/test/a.stress.test.ts' },
    meta: () => meta,
    result: () => ({ state, errors: state === 'failed' ? [{ message: 'boom\nstack' }] : undefined }),
    diagnostic: () => ({ duration: 12 }),
  } as unknown as TestCase;
}

/** A test module as Vitest's structure lists it: its file and its tests' ids in declaration order. */
function testModule(file: string, ids: readonly string[], meta: object = {}): TestModule {
  return {
    moduleId: `/root/${file}`,
    meta: () => meta,
    children: {
      *allTests() {
        for (const id of ids) yield { id };
      },
    },
  } as unknown as TestModule;
}

function vitest(config: object): Vitest {
  const logged: string[] = [];
  return {
    config: { root: '/root', ...config },
    logger: { log: (text: string) => logged.push(text), error: (text: string) => logged.push(text) },
    logged,
  } as unknown as Vitest;
}

describe('StressReporter', () => {
  it('collects stress tests, in file order, writes the files and prints the summary', async () => {
    const out = tempDir('vitest-stress-reporter-');
    const reporter = new StressReporter({ projects: ['stress'], outputDir: out, stepSummary: false });
    const v = vitest({});
    reporter.onInit(v);
    reporter.onTestRunStart();
    reporter.onTestCaseResult(testCase('f_0', 'second', { stressResult: result }));
    reporter.onTestCaseResult(testCase('f_1', 'first', {}));
    reporter.onTestCaseResult(testCase('g_0', 'unit test', {}, 'passed', 'unit'));
    // Declaration order from Vitest's structure, whatever the ids look like or when results arrived.
    await reporter.onTestRunEnd(
      [testModule('test/z.test.ts', ['g_0']), testModule('test/a.stress.test.ts', ['f_1', 'f_0'])],
      [],
      'passed',
    );
    expect(reporter.lastRun?.file.tests.map((test) => [test.name, test.file, test.runs])).toEqual([
      ['first', 'test/a.stress.test.ts', 0],
      ['second', 'test/a.stress.test.ts', 1],
    ]);
    // Metrics JSON, Markdown summary and HTML report.
    expect(readdirSync(out)).toHaveLength(3);
    expect((v as unknown as { logged: string[] }).logged.join('')).toMatch(/vitest-stress\s+PASS\s+2 tests/);
    expect(process.exitCode).toBe(savedExitCode);
  });

  it('fails the run when a test failed or a threshold did, even if Vitest passed', async () => {
    const out = tempDir('vitest-stress-reporter-');
    const reporter = new StressReporter({ outputDir: out, stepSummary: false });
    reporter.onInit(vitest({}));
    const failing = {
      ...result,
      metrics: { ...result.metrics!, thresholds: [{ metric: 'x', expression: '< 1', ok: false, value: 2 }] },
    };
    reporter.onTestCaseResult(testCase('f_0', 'slow', { stressResult: failing }));
    await reporter.onTestRunEnd([], [], 'passed');
    expect(process.exitCode).toBe(1);
    expect(reporter.lastRun?.file.verdict.reasons).toEqual([
      'threshold `x < 1` failed in "slow": measured 2',
    ]);
  });

  it('writes nothing through an output directory that a test turned into a link into an inbox, and fails', async () => {
    const root = tempDir('vitest-stress-reporter-link-');
    const inbox = join(root, 'agent_workspaces/Agent-1/inbox');
    mkdirSync(inbox, { recursive: true });
    symlinkSync(inbox, join(root, 'logs'));
    const reporter = new StressReporter({
      outputDir: join(root, 'logs'),
      stepSummary: false,
      protectedPaths: [join(root, 'agent_workspaces'), join(root, 'message_queue')],
    });
    const v = vitest({ root });
    reporter.onInit(v);
    reporter.onTestCaseResult(testCase('f_0', 'a', { stressResult: result }));
    await reporter.onTestRunEnd([], [], 'passed');
    expect(readdirSync(inbox)).toEqual([]);
    expect(process.exitCode).toBe(1);
    expect(reporter.lastRun?.paths).toBeUndefined();
    expect((v as unknown as { logged: string[] }).logged.join('\n')).toContain(
      `vitest-stress: [vitest-stress] Expected the output directory \`${join(root, 'logs')}\` to lead outside the protected paths, got a symlink that really leads to \`${inbox}\``,
    );
  });

  it('writes nothing in a shard, and nothing when no stress test ran', async () => {
    const out = tempDir('vitest-stress-reporter-');
    const reporter = new StressReporter({ outputDir: out });
    const v = vitest({ shard: { index: 1, count: 2 } });
    reporter.onInit(v);
    reporter.onTestCaseResult(testCase('f_0', 'a', { stressResult: result }));
    await reporter.onTestRunEnd([], [], 'passed');
    expect(readdirSync(out)).toEqual([]);
    expect((v as unknown as { logged: string[] }).logged).toEqual([
      'vitest-stress: shard 1/2 collected 1 stress test(s); run --merge-reports for the metrics file.',
    ]);
    reporter.onTestRunStart();
    await reporter.onTestRunEnd([], [], 'passed');
    expect(reporter.lastRun).toBeUndefined();
  });
  it('fails the run for escapes outside any test, from the file meta the setup file leaves', async () => {
    const out = tempDir('vitest-stress-reporter-');
    const reporter = new StressReporter({ projects: ['stress'], outputDir: out, stepSummary: false });
    reporter.onInit(vitest({}));
    reporter.onTestRunStart();
    const stray = {
      kind: 'network',
      api: 'net.connect',
      target: '127.0.0.1:9',
      blocked: true,
      frame: 'x.ts:1:1',
    };
    await reporter.onTestRunEnd(
      [testModule('test/a.stress.test.ts', [], { stressStrayViolations: [stray] })],
      [],
      'failed',
    );
    expect(reporter.lastRun?.file.verdict.ok).toBe(false);
    expect(reporter.lastRun?.file.verdict.reasons).toEqual([
      expect.stringMatching(
        /^isolation violation outside a running test in test\/a\.stress\.test\.ts: outside any test/,
      ),
    ]);
    expect(process.exitCode).toBe(1);
  });
});
