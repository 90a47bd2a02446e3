import { StressError } from '../protocol/index.ts';
import { describeViolation, type IsolationViolationRecord } from './isolation-violation.ts';

/** Where a violation that no running test collected came from, in words. */
function origin(record: IsolationViolationRecord): string {
  return record.test === undefined
    ? 'outside any test (module top level, beforeAll/afterAll, after the last test, or work they scheduled)'
    : `from work test "${record.test}" scheduled, after that test had finished`;
}

/** One stray violation as a verdict reason of the run: where it happened, in which file, and what it was. */
export function strayViolationReason(file: string, violation: IsolationViolationRecord): string {
  return `isolation violation outside a running test in ${file}: ${origin(violation)}: ${describeViolation(violation)}`;
}

/** The error that fails a test file (and the run) for violations that belong to no running test. */
export function strayViolationFailure(
  file: string,
  violations: readonly IsolationViolationRecord[],
): StressError {
  const list = violations
    .map((violation, i) => `  ${i + 1}. ${origin(violation)}: ${describeViolation(violation)}`)
    .join('\n');
  return new StressError(
    'ERR_ISOLATION_VIOLATION',
    `Expected no isolation violations outside the running tests of ${file}, got ${violations.length}:\n${list}`,
    { details: { file, violations: violations.map((violation) => ({ ...violation })) } },
  );
}
