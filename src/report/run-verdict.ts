import { describeViolation } from '../isolation/index.ts';
import type { RunVerdict, StressTestRecord } from './run-metrics-file.ts';

/** Why one test fails the run, one line each (empty when it does not). */
export function testFailureReasons(test: StressTestRecord): string[] {
  const reasons: string[] = [];
  if (test.state === 'failed') {
    const first = test.errors[0];
    reasons.push(`test "${test.name}" failed${first === undefined ? '' : `: ${first}`}`);
  }
  for (const verdict of test.thresholds) {
    if (verdict.ok) continue;
    reasons.push(
      `threshold \`${verdict.metric} ${verdict.expression}\` failed in "${test.name}": ` +
        (verdict.reason ?? `measured ${verdict.value ?? 'no value'}`),
    );
  }
  if (test.invariants !== null && !test.invariants.valid) {
    for (const violation of test.invariants.violations)
      reasons.push(`invariant broken in "${test.name}": ${violation}`);
  }
  for (const violation of test.isolation.violations) {
    reasons.push(`isolation violation in "${test.name}": ${describeViolation(violation)}`);
  }
  return reasons;
}

/**
 * Judges a run: it fails when a test failed, a threshold failed, an invariant broke or the isolation guard
 * recorded an escape, even when every test body passed; `extra` adds reasons from outside the tests.
 */
export function judgeRun(tests: readonly StressTestRecord[], extra: readonly string[] = []): RunVerdict {
  const count = (state: StressTestRecord['state']): number => tests.filter((t) => t.state === state).length;
  const reasons = [...tests.flatMap(testFailureReasons), ...extra];
  return {
    ok: reasons.length === 0,
    tests: tests.length,
    passed: count('passed'),
    failed: count('failed'),
    skipped: count('skipped') + count('pending'),
    threshold_failures: tests.reduce((n, t) => n + t.thresholds.filter((v) => !v.ok).length, 0),
    invariant_failures: tests.filter((t) => t.invariants !== null && !t.invariants.valid).length,
    isolation_violations: tests.reduce((n, t) => n + t.isolation.violations.length, 0),
    reasons,
  };
}
