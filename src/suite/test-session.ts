import type { StressReport } from '../engine/index.ts';
// Imported file by file: this module runs in every test file's worker, and the report barrel pulls in Ajv and chalk.
import { describeViolation, type IsolationViolationRecord } from '../node/isolation/isolation-violation.ts';
import type { StressReplay } from '../node/report/run-metrics-file.ts';
import { type StressTestResult, summarizeTestReports } from '../node/report/stress-test-record.ts';
import { findNonJsonValue, type JsonObject, StressError } from '../protocol/index.ts';
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
  // Hooks and retries start a task again: escapes from before belong to nobody, so they are dropped here.
  const guard = getStressEnvironment()?.guard;
  guard?.takeViolations();
  guard?.setCurrentTest(taskName(task));
  const session: TestSession = {
    name: taskName(task),
    reports: [],
    violations: [],
    options: {},
    representative: undefined,
    replay: undefined,
    finished: false,
  };
  sessions().set(task.id, session);
  return session;
}

/** Collects the violations the guard recorded since the last call into the session, and returns them all. */
export function collectViolations(session: TestSession): readonly IsolationViolationRecord[] {
  const guard = getStressEnvironment()?.guard;
  if (guard !== undefined) session.violations.push(...guard.takeViolations());
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
  });
  // Meta crosses to the reporter (and into blobs, which crash on a BigInt): keep it JSON-plain at any cost.
  return findNonJsonValue(result) === undefined
    ? result
    : (JSON.parse(JSON.stringify(result)) as StressTestResult);
}

/** The error that fails a test whose code escaped the isolation guard, naming each escape. */
export function isolationFailure(name: string, violations: readonly IsolationViolationRecord[]): StressError {
  const list = violations.map((violation, i) => `  ${i + 1}. ${describeViolation(violation)}`).join('\n');
  return new StressError(
    'ERR_ISOLATION_VIOLATION',
    `Expected no isolation violations in test "${name}", got ${violations.length}:\n${list}`,
    { details: { test: name, violations: violations.map((violation) => ({ ...violation })) } },
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
  getStressEnvironment()?.guard?.setCurrentTest(undefined);
  (task.meta as { stressResult?: StressTestResult }).stressResult = sessionResult(session);
  sessions().delete(task.id);
  return violations.length === 0 ? undefined : isolationFailure(session.name, violations);
}
