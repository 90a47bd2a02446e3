import { expect } from 'vitest';
import type { EscapeAttempt, EscapeContext } from '../../fixtures/isolation/index.ts';
import { runEscapeUnderGuard } from '../../fixtures/isolation/support/run-under-guard.ts';
import { isIsolationViolation } from '../../src/isolation/index.ts';

/**
 * Runs each attempt under its own guard and expects its first violation to be the one it declares, blocked, named
 * after the attempt, and thrown (or rejected) as an IsolationViolation.
 */
export async function expectEachCaughtUnderGuard(
  attempts: readonly EscapeAttempt[],
  context: EscapeContext,
): Promise<void> {
  for (const attempt of attempts) {
    const outcome = await runEscapeUnderGuard(attempt, context);
    expect(outcome.violations[0], attempt.name).toMatchObject({
      ...attempt.expected(context),
      test: attempt.name,
      blocked: true,
    });
    expect(isIsolationViolation(outcome.error), attempt.name).toBe(true);
  }
}
