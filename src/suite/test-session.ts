import type { StressReport } from '../engine/index.ts';
// Imported file by file: this module runs in every test file's worker, and the report barrel pulls in Ajv and chalk.
import { describeViolation, type IsolationViolationRecord } from '../isolation/isolation-violation.ts';
import { findNonJsonValue, type JsonObject, StressError } from '../protocol/index.ts';
import type { StressPropertyRecord, StressReplay } from '../report/run-metrics-file.ts';
import { type StressTestResult, summarizeTestReports } from '../report/stress-test-record.ts';
import { getStressEnvironment } from './environment-state.ts';

/** The parts of a Vitest test task a session reads and writes. */
export interface SessionTask {
  readonly id: string;
  readonly name: string;
  readonly fullTestName?: string;
  readonly meta: object;
}

/** One test's stress bookkeeping: its engine runs, its replay line and the escapes the guard saw. */
export interface TestSession {
  readonly name: string;
  readonly reports: StressReport[];
  readonly violations: IsolationViolationRecord[];
  options: JsonObject;
  representative: StressReport | undefined;
  replay: StressReplay | undefined;
  /** What the test's chaos property did (cases asked and run, the shrunk case); undefined for a plain test. */
  property: StressPropertyRecord | undefined;
  finished: boolean;
}

const SESSIONS_KEY = Symbol.for('vitest-stress.sessions');

// On globalThis, so the setup file's hooks and the fixture share sessions even if loaded as two module copies.
function sessions(): Map<string, TestSession> {
  const global = globalThis as { [SESSIONS_KEY]?: Map<string, TestSession> };
  global[SESSIONS_KEY] ??= new Map();
  return global[SESSIONS_KEY];
}

/** The name violations and replay lines use for a task: its suites and name joined with ` > `. */
export function taskName(task: SessionTask): string {
  return task.fullTestName ?? task.name;
}

/** Starts (or returns) the session of `task` and tells the isolation guard which test runs now. */
export function startSession(task: SessionTask): TestSession {
  const existing = sessions().get(task.id);
  if (existing !== undefined && !existing.finished) return existing;
  // Escapes that belong to no running test (module top level, hooks, late work of a finished test) are kept as
  // strays, which fail the file and the run; those of tests still running (test.concurrent) stay theirs.
  const state = getStressEnvironment();
  const guard = state?.guard;
  const running = new Set([...sessions().values()].map((session) => session.name));
  const strays =
    guard?.takeViolations((record) => record.test === undefined || !running.has(record.test)) ?? [];
  if (strays.length > 0) state?.strays.push(...strays);
  // The fallback for code outside the test's async context (setup.ts runs each test inside `guard.runInTest`).
  guard?.setCurrentTest(taskName(task));
  const session: TestSession = {
    name: taskName(task),
    reports: [],
    violations: [],
    options: {},
    representative: undefined,
    replay: undefined,
    property: undefined,
    finished: false,
  };
  sessions().set(task.id, session);
  return session;
}

/** Collects the violations the guard blamed on this session's test into it, and returns them all. */
export function collectViolations(session: TestSession): readonly IsolationViolationRecord[] {
  const guard = getStressEnvironment()?.guard;
  if (guard !== undefined)
    session.violations.push(...guard.takeViolations((record) => record.test === session.name));
  return session.violations;
}

/** The JSON-plain result of a session, as it goes into `task.meta.stressResult`. */
export function sessionResult(session: TestSession): StressTestResult {
  const guard = getStressEnvironment()?.guard;
  const result = summarizeTestReports(session.reports, {
    options: session.options,
    isolation: { mode: guard?.mode ?? 'off', violations: [...session.violations] },
    ...(session.replay === undefined ? {} : { replay: session.replay }),
    ...(session.representative === undefined ? {} : { representative: session.representative }),
    ...(session.property === undefined ? {} : { property: session.property }),
  });
  // Meta crosses to the reporter (and into blobs, which crash on a BigInt): keep it JSON-plain at any cost.
  return findNonJsonValue(result) === undefined
    ? result
    : (JSON.parse(JSON.stringify(result)) as StressTestResult);
}

/** Groups of escapes shown in a failure, and examples shown per group; the metrics file keeps them all. */
const SHOWN_GROUPS = 10;
const EXAMPLES_PER_GROUP = 2;

/** Escapes of one kind to one target, in the order first seen. */
interface ViolationGroup {
  readonly kind: IsolationViolationRecord['kind'];
  readonly target: string;
  readonly apis: Set<string>;
  count: number;
  readonly examples: IsolationViolationRecord[];
}

function groupViolations(violations: readonly IsolationViolationRecord[]): ViolationGroup[] {
  const groups = new Map<string, ViolationGroup>();
  for (const violation of violations) {
    const key = `${violation.kind}\u0000${violation.target}`;
    let group = groups.get(key);
    if (group === undefined) {
      group = { kind: violation.kind, target: violation.target, apis: new Set(), count: 0, examples: [] };
      groups.set(key, group);
    }
    group.count++;
    group.apis.add(violation.api);
    if (group.examples.length < EXAMPLES_PER_GROUP) group.examples.push(violation);
  }
  return [...groups.values()].sort((a, b) => b.count - a.count);
}

/**
 * The error that fails a test whose code escaped the isolation guard: escapes aggregated by kind and target
 * (most frequent first) with a count and a few examples each, so a leaking processor that escapes thousands of
 * times prints a screen, not megabytes; `replay` (a chaos property's replay command) is appended. Every escape
 * stays in the test's metrics (`isolation.violations`).
 */
export function isolationFailure(
  name: string,
  violations: readonly IsolationViolationRecord[],
  replay?: string,
): StressError {
  const groups = groupViolations(violations);
  const lines: string[] = [];
  let example = 0;
  for (const group of groups.slice(0, SHOWN_GROUPS)) {
    lines.push(`  - ${group.count} × ${group.kind} \`${group.target}\` (${[...group.apis].join(', ')}):`);
    for (const record of group.examples) lines.push(`    ${++example}. ${describeViolation(record)}`);
    if (group.count > group.examples.length)
      lines.push(`    … ${group.count - group.examples.length} more like these`);
  }
  const hidden = groups.slice(SHOWN_GROUPS);
  if (hidden.length > 0) {
    const count = hidden.reduce((total, group) => total + group.count, 0);
    lines.push(
      `  … and ${count} more in ${hidden.length} other kind/target groups (all are in the run metrics file).`,
    );
  }
  if (replay !== undefined) lines.push(`Replay it with:\n  ${replay}`);
  return new StressError(
    'ERR_ISOLATION_VIOLATION',
    `Expected no isolation violations in test "${name}", got ${violations.length} ` +
      `(${groups.length} kind/target ${groups.length === 1 ? 'group' : 'groups'}):\n${lines.join('\n')}`,
    {
      details: {
        test: name,
        count: violations.length,
        groups: groups.slice(0, SHOWN_GROUPS).map((group) => ({
          kind: group.kind,
          target: group.target,
          count: group.count,
          examples: group.examples.map((record) => ({ ...record })),
        })),
        ...(replay === undefined ? {} : { replay }),
      },
    },
  );
}

/**
 * Ends the session of `task` (once): writes its result into `task.meta.stressResult` and returns the error that
 * must fail the test when the guard saw an escape (undefined otherwise).
 */
export function finishSession(task: SessionTask): StressError | undefined {
  const session = sessions().get(task.id);
  if (session === undefined || session.finished) return undefined;
  session.finished = true;
  const violations = collectViolations(session);
  const guard = getStressEnvironment()?.guard;
  // The fallback slot names the test still running, if any (test.concurrent), or none.
  const other = [...sessions().values()].find((running) => running !== session && !running.finished);
  guard?.setCurrentTest(other?.name);
  (task.meta as { stressResult?: StressTestResult }).stressResult = sessionResult(session);
  sessions().delete(task.id);
  return violations.length === 0
    ? undefined
    : isolationFailure(session.name, violations, session.replay?.command);
}
