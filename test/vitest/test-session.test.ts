import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { IsolationViolationRecord } from '../../src/isolation/index.ts';
import { runStress } from '../../src/reference/run-stress.ts';
import { STRESS_ENVIRONMENT_KEY } from '../../src/suite/environment-state.ts';
import { collectViolations, finishSession, startSession } from '../../src/suite/test-session.ts';

const global = globalThis as Record<symbol, unknown>;

function fakeGuard() {
  const pending: IsolationViolationRecord[] = [];
  let current: string | undefined;
  return {
    mode: 'block' as const,
    record(target: string) {
      pending.push({
        kind: 'network',
        target,
        api: 'net.connect',
        blocked: true,
        ...(current ? { test: current } : {}),
      });
    },
    takeViolations: (select: (record: IsolationViolationRecord) => boolean = () => true) => {
      const taken = pending.filter(select);
      const kept = pending.filter((record) => !select(record));
      pending.splice(0, pending.length, ...kept);
      return taken;
    },
    setCurrentTest: (name: string | undefined) => {
      current = name;
    },
    current: () => current,
  };
}

let guard: ReturnType<typeof fakeGuard>;
let counter = 0;
const task = (name: string) => ({
  id: `t${++counter}`,
  name,
  fullTestName: `suite > ${name}`,
  meta: {} as Record<string, unknown>,
});

beforeEach(() => {
  guard = fakeGuard();
  global[STRESS_ENVIRONMENT_KEY] = { options: {}, guard, strays: [] };
});

afterEach(() => {
  delete global[STRESS_ENVIRONMENT_KEY];
});

describe('test sessions', () => {
  it('tells the guard which test runs, and keeps escapes from before it as strays of the file', () => {
    guard.record('before:1');
    const t = task('a');
    startSession(t);
    expect(guard.current()).toBe('suite > a');
    expect(finishSession(t)).toBeUndefined();
    expect(guard.current()).toBeUndefined();
    expect(t.meta.stressResult).toMatchObject({ runs: 0, isolation: { mode: 'block', violations: [] } });
    // Not the test's, and not dropped: the setup file's afterAll fails the file with them.
    const state = global[STRESS_ENVIRONMENT_KEY] as { strays: { target: string }[] };
    expect(state.strays.map((v) => v.target)).toEqual(['before:1']);
  });

  it('keeps the escapes of a test still running (test.concurrent) for it, and strays of finished tests for the file', () => {
    const first = task('first');
    const second = task('second');
    startSession(first);
    guard.record('first:1');
    startSession(second);
    guard.record('second:1');
    expect(finishSession(second)?.message).toContain('second:1');
    // The slot falls back to the test still running, not to nobody.
    expect(guard.current()).toBe('suite > first');
    guard.record('first:2');
    const failure = finishSession(first);
    expect(failure?.message).toContain('got 2');
    expect(failure?.message).toContain('first:1');
    expect(failure?.message).toContain('first:2');
    const state = global[STRESS_ENVIRONMENT_KEY] as { strays: unknown[] };
    expect(state.strays).toEqual([]);
  });

  it('fails the test that escaped, naming each escape, and records them in meta', () => {
    const t = task('b');
    const session = startSession(t);
    guard.record('10.0.0.1:80');
    expect(collectViolations(session)).toHaveLength(1);
    guard.record('10.0.0.2:80');
    const failure = finishSession(t);
    expect(failure).toMatchObject({ code: 'ERR_ISOLATION_VIOLATION' });
    expect(failure?.message).toContain(
      'Expected no isolation violations in test "suite > b", got 2 (2 kind/target groups):',
    );
    expect(failure?.message).toContain(
      '1. Expected no network connections during a stress run, got `net.connect` connecting to `10.0.0.1:80` in test "suite > b"',
    );
    expect(failure?.message).toContain('2. Expected no network connections');
    expect(
      (t.meta.stressResult as { isolation: { violations: unknown[] } }).isolation.violations,
    ).toHaveLength(2);
  });

  it('aggregates a flood of escapes by kind and target, with a few examples, a count and the replay line', () => {
    const t = task('flood');
    const session = startSession(t);
    for (let i = 0; i < 1800; i++) guard.record(i % 600 === 0 ? `10.0.0.${i / 600 + 2}:80` : '10.0.0.1:80');
    for (let i = 0; i < 12; i++) guard.record(`10.1.0.${i}:443`);
    session.replay = {
      seed: 7,
      path: '1:2',
      command: 'STRESS_SEED=7 STRESS_PATH=1:2 npx vitest run -t "flood"',
    };
    const failure = finishSession(t);
    const message = failure?.message ?? '';
    expect(message).toContain('got 1812 (16 kind/target groups):');
    // The most frequent group first, with its count and two examples, not 1,797 lines.
    expect(message).toContain('  - 1797 × network `10.0.0.1:80` (net.connect):');
    expect(message).toContain('    … 1795 more like these');
    expect(message).toContain(
      '… and 6 more in 6 other kind/target groups (all are in the run metrics file).',
    );
    expect(message).toContain('Replay it with:\n  STRESS_SEED=7 STRESS_PATH=1:2 npx vitest run -t "flood"');
    expect(message.split('\n').length).toBeLessThan(50);
    expect(message.length).toBeLessThan(10_000);
    // Details (printed by Vitest with the error) are bounded too; the metrics keep every escape.
    expect(JSON.stringify(failure?.details).length).toBeLessThan(10_000);
    expect(failure?.details).toMatchObject({ count: 1812, replay: session.replay.command });
    expect(
      (t.meta.stressResult as { isolation: { violations: unknown[] } }).isolation.violations,
    ).toHaveLength(1812);
  });

  it('ends a session once, whichever of the hook and the fixture comes first', () => {
    const t = task('c');
    expect(startSession(t)).toBe(startSession(t));
    guard.record('x:1');
    expect(finishSession(t)).toBeDefined();
    expect(finishSession(t)).toBeUndefined();
  });

  it('stores the runs as JSON-plain meta', async () => {
    const t = task('d');
    const session = startSession(t);
    session.reports.push(await runStress({ agents: 2, messagesPerAgent: 5 }));
    finishSession(t);
    const result = t.meta.stressResult as { runs: number; snapshot: unknown; metrics: unknown };
    expect(result.runs).toBe(1);
    expect(JSON.parse(JSON.stringify(result))).toEqual(result);
  });
});
