import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CLEAN_WORK,
  createEscapeContext,
  ESCAPES,
  type EscapeContext,
} from '../../fixtures/isolation/index.ts';
import {
  type AgentBridgeListener,
  listenOnAgentBridge,
} from '../../fixtures/isolation/support/agent-bridge-listener.ts';
import { corpusContextVariable } from '../../fixtures/vitest-projects/isolation/corpus-context.ts';
import type { RunMetricsFile } from '../../src/report/index.ts';
import { type FixtureRun, readRunFile, runFixtureProject } from './run-fixture-project.ts';

let context: EscapeContext;
let bridge: AgentBridgeListener;
let fingerprint: string;
let run: FixtureRun;
let file: RunMetricsFile;

beforeAll(async () => {
  context = await createEscapeContext();
  bridge = await listenOnAgentBridge(context);
  fingerprint = context.fingerprint();
  run = await runFixtureProject('isolation', { env: { CORPUS_CONTEXT: corpusContextVariable(context) } });
  file = readRunFile(run);
});

afterAll(async () => {
  await bridge?.close();
  await context?.close();
});

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const record = (name: string) => file.tests.find((test) => test.name === name);

describe('the isolation corpus as stress test files (fixtures/vitest-projects/isolation)', () => {
  it('fails the run', () => {
    expect(run.exitCode).toBe(1);
    // Every escape test, the one concurrent test that escaped (blame.stress.test.ts), both imports of the real
    // core in core-twice.stress.test.ts, the file snapshot aimed into an inbox and the race.
    expect(file.verdict.failed).toBe(ESCAPES.length + 5);
    expect(file.verdict.isolation_violations).toBeGreaterThanOrEqual(ESCAPES.length);
  });

  for (const attempt of ESCAPES) {
    it(`fails the test that made the escape, named: ${attempt.name}`, () => {
      const test = record(`escape: ${attempt.name}`);
      const expected = attempt.expected(context);
      expect(test?.state).toBe('failed');
      expect(test?.isolation.violations[0]).toMatchObject({
        kind: expected.kind,
        api: expected.api,
        target: expected.target,
        test: `escape: ${attempt.name}`,
        blocked: true,
      });
      expect(test?.errors.join('\n')).toContain(`"escape: ${attempt.name}"`);
    });
  }

  it('passes every clean file', () => {
    for (const work of CLEAN_WORK) {
      expect(record(`clean: ${work.name}`), work.name).toMatchObject({
        state: 'passed',
        isolation: { violations: [] },
      });
    }
    expect(record('clean: a stress run against the reference system')?.state).toBe('passed');
  });

  it('fails the file and the run for escapes outside any test, saying where they happened', () => {
    expect(record('stray: a clean test in a file whose hooks escape')?.state).toBe('passed');
    const strays = file.verdict.reasons.filter((reason) => reason.includes('in stray.stress.test.ts'));
    expect(strays.map((reason) => reason.match(/`([^`]+\.md)`/)?.[1])).toEqual(
      ['top_level', 'before_all', 'after_all'].map((name) => join(context.inbox, `INBOX_MESSAGE_${name}.md`)),
    );
    for (const reason of strays) expect(reason).toMatch(/outside any test \(module top level/);
    for (const name of ['top_level', 'before_all', 'after_all']) {
      expect(existsSync(join(context.inbox, `INBOX_MESSAGE_${name}.md`))).toBe(false);
    }
    expect(run.output).toContain(
      'Expected no isolation violations outside the running tests of stray.stress.test.ts, got 3',
    );
    // Nothing else in the corpus escaped outside its tests but the two late escapes of blame.stress.test.ts.
    const outside = file.verdict.reasons.filter((reason) => reason.includes('outside a running test'));
    expect(outside.filter((reason) => !reason.includes('in blame.stress.test.ts:'))).toEqual(strays);
    expect(outside).toHaveLength(strays.length + 2);
  });

  it('fails every test of a file that imports the real core, the second import too (not only the first)', () => {
    for (const name of ['first import', 'second import']) {
      const test = record(`core twice > core twice: ${name}`);
      expect(test?.state, name).toBe('failed');
      expect(test?.isolation.violations, name).toEqual([
        expect.objectContaining({ kind: 'module', api: 'import', test: `core twice > core twice: ${name}` }),
      ]);
      expect(test?.isolation.violations[0]?.target).toMatch(/src\/inbox\/inbox-messaging-core\.ts$/);
    }
  });

  it('fails the test whose toMatchFileSnapshot aims into an inbox, by name, and writes nothing', () => {
    const target = join(context.inbox, 'INBOX_MESSAGE_snapshot.md');
    expect(existsSync(target)).toBe(false);
    const test = record('file snapshot into an inbox');
    expect(test?.state).toBe('failed');
    expect(test?.isolation.violations).toEqual([
      expect.objectContaining({ kind: 'fs-write', target, api: 'toMatchFileSnapshot', blocked: true }),
    ]);
    // Refused when the assertion ran, not when Vitest saves snapshots after the file: no unhandled error.
    expect(run.output).not.toContain('saveSnapshotFile');
  });

  it('fails a test whose write won a race against the check, saying it was found afterwards, not blocked', () => {
    const name = 'race: a directory swapped for a link into a protected directory while the write waits';
    const test = record(name);
    expect(test?.state).toBe('failed');
    expect(test?.isolation.violations).toEqual([
      {
        kind: 'fs-write',
        target: join(context.scratch, 'race-swap', 'queue.json'),
        api: 'fs.promises.writeFile',
        test: name,
        blocked: false,
        raced: true,
      },
    ]);
    expect(run.output).toContain('It was found when the call completed');
  });

  it('blames the test that scheduled a timer, not the test running when it fired', () => {
    const late = join(context.inbox, 'INBOX_MESSAGE_late_timer.md');
    expect(existsSync(late)).toBe(false);
    // The innocent test passes with no violation; the late escape fails the file, naming the scheduling test.
    expect(record('blame: a timer > blame: innocent while that timer fires')).toMatchObject({
      state: 'passed',
      isolation: { violations: [] },
    });
    expect(record('blame: a timer > blame: schedules a write and returns')?.state).toBe('passed');
    expect(file.verdict.reasons).toContainEqual(
      expect.stringMatching(
        new RegExp(
          `^isolation violation outside a running test in blame\\.stress\\.test\\.ts: from work test "blame: a timer > blame: schedules a write and returns" scheduled, after that test had finished: .*\\\`${escapeRegExp(late)}\\\` in test "blame: a timer > blame: schedules a write and returns" at .*blame\\.stress\\.test\\.ts:\\d+:\\d+`,
        ),
      ),
    );
  });

  it('blames the test that left async work behind, not the stress run alone in its test when it escaped', () => {
    const late = join(context.inbox, 'INBOX_MESSAGE_late_async.md');
    expect(existsSync(late)).toBe(false);
    expect(
      record(
        'blame: late async work during a stress run > blame: innocent stress run while that work escapes',
      ),
    ).toMatchObject({ state: 'passed', isolation: { violations: [] } });
    const scheduler = 'blame: late async work during a stress run > blame: leaves async work behind';
    expect(record(scheduler)?.state).toBe('passed');
    expect(file.verdict.reasons).toContainEqual(
      expect.stringMatching(
        new RegExp(
          `^isolation violation outside a running test in blame\\.stress\\.test\\.ts: from work test "${escapeRegExp(scheduler)}" scheduled, after that test had finished: .*\\\`${escapeRegExp(late)}\\\``,
        ),
      ),
    );
  });

  it('blames the right test under test.concurrent', () => {
    expect(existsSync(join(context.inbox, 'INBOX_MESSAGE_concurrent.md'))).toBe(false);
    expect(record('blame: concurrent tests > blame: concurrent innocent')).toMatchObject({
      state: 'passed',
      isolation: { violations: [] },
    });
    const guilty = record('blame: concurrent tests > blame: concurrent escape');
    expect(guilty?.state).toBe('failed');
    expect(guilty?.isolation.violations).toEqual([
      expect.objectContaining({
        kind: 'fs-write',
        target: join(context.inbox, 'INBOX_MESSAGE_concurrent.md'),
        test: 'blame: concurrent tests > blame: concurrent escape',
        blocked: true,
      }),
    ]);
  });

  it('refuses a stress file whose environment docblock would leave it unguarded', () => {
    expect(run.output).toContain('docblock-environment.stress.test.ts');
    expect(run.output).toContain(
      'Expected every file of a stress project to run in the vitest-stress environment',
    );
    expect(existsSync(join(context.inbox, 'INBOX_MESSAGE_docblock.md'))).toBe(false);
  });

  it('let nothing reach the inboxes, the network or a process', async () => {
    await context.flushCanaries();
    expect(context.fingerprint()).toBe(fingerprint);
    expect(existsSync(context.marker)).toBe(false);
    expect(context.escapedArrivals()).toEqual({ tcp: 0, udp: 0 });
    await bridge.flushCanary();
    expect(bridge.escapedConnections()).toBe(0);
  });
});
