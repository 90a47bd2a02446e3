/**
 * Runs the whole escape corpus under the guard in a plain Node process (`node --import tsx`), where `import`
 * goes through Node's own loader and so through the guard's resolve hook, and prints one JSON report.
 */
import { existsSync } from 'node:fs';
import { CLEAN_WORK, createEscapeContext, ESCAPES } from '../../fixtures/isolation/index.ts';
import { runCleanUnderGuard, runEscapeUnderGuard } from '../../fixtures/isolation/support/run-under-guard.ts';

const context = await createEscapeContext();
const before = context.fingerprint();
const escapes = [];
for (const attempt of ESCAPES) {
  const outcome = await runEscapeUnderGuard(attempt, context);
  const error = outcome.error as { code?: unknown; name?: unknown } | undefined;
  escapes.push({
    name: outcome.name,
    expected: attempt.expected(context),
    violations: outcome.violations,
    errorCode: error?.code,
    errorName: error?.name,
  });
}
const clean = [];
for (const work of CLEAN_WORK) {
  const outcome = await runCleanUnderGuard(work, context);
  clean.push({ name: outcome.name, violations: outcome.violations, error: String(outcome.error ?? '') });
}
// In observe mode a forbidden import is recorded and still loads.
const importForbidden = ESCAPES.find(
  (attempt) =>
    attempt.name.includes('project module configured in forbiddenModules') && attempt.route === 'esm-loader',
);
const observed =
  importForbidden === undefined
    ? undefined
    : await runEscapeUnderGuard(importForbidden, context, { mode: 'observe' });
await context.flushCanaries();
const report = {
  escapes,
  clean,
  observed:
    observed === undefined
      ? undefined
      : { violations: observed.violations, error: String(observed.error ?? '') },
  unchanged: context.fingerprint() === before,
  marker: existsSync(context.marker),
  arrivals: context.escapedArrivals(),
};
await context.close();
process.stdout.write(JSON.stringify(report));
