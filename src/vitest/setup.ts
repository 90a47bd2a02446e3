import { afterAll, afterEach, aroundEach, beforeEach, inject, type RunnerTestFile } from 'vitest';
import { strayViolationFailure } from '../isolation/stray-violations.ts';
import { StressError } from '../protocol/index.ts';
import { getStressEnvironment } from '../suite/environment-state.ts';
import { finishSession, startSession, taskName } from '../suite/test-session.ts';
import { forgetForbiddenModules } from './forget-forbidden-modules.ts';
import { STRESS_PROVIDE_KEY } from './stress-provided.ts';

// The stress environment installs the isolation guard. A `@vitest-environment` docblock (or an
// `environmentMatchGlobs` entry) replaces it for one file, which would then run unguarded: refuse the file.
if (getStressEnvironment() === undefined) {
  throw new StressError(
    'ERR_INVALID_OPTION',
    'Expected every file of a stress project to run in the vitest-stress environment, which installs the isolation guard, got another environment (a `@vitest-environment` docblock or `environmentMatchGlobs`): the file would run unguarded. Remove the docblock; to run without the guard on purpose, set `isolation: false` in defineStressProject.',
    { details: { environment: 'not vitest-stress' } },
  );
}

// The guard blames per async context: work a test starts (a timer, a promise, an event) stays that test's, so a
// timer of test A firing while test B runs names A, and test.concurrent tests are told apart.
aroundEach((runTest, { task }) => {
  const guard = getStressEnvironment()?.guard;
  return guard === undefined ? runTest() : guard.runInTest(taskName(task), runTest);
});

// Every test of the stress project, `stressTest` or plain `test`, gets a session: the guard learns its name,
// its escapes fail it by name and its measurements land in `task.meta.stressResult`.
beforeEach(({ task }) => {
  startSession(task);
  // A sharded run: the test says which shard ran it, so `--merge-reports` can tell when a shard is missing.
  const shard = inject(STRESS_PROVIDE_KEY)?.shard;
  if (shard) task.meta.stressShard = shard;
});

afterEach(({ task }) => {
  // A forbidden module stays cached for the file: forget it, so a later test that imports it again is named too.
  forgetForbiddenModules(getStressEnvironment()?.guard);
  const failure = finishSession(task);
  if (failure !== undefined) throw failure;
});

// Escapes no running test collected (module top level, beforeAll/afterAll, late work of a finished test) fail
// the file, and reach the run's verdict through the file's meta; the environment's teardown catches what comes
// after this hook.
// biome-ignore lint/correctness/noEmptyPattern: Vitest requires a destructured fixture context before `suite`.
afterAll(({}, suite) => {
  const state = getStressEnvironment();
  const strays = [...(state?.strays.splice(0) ?? []), ...(state?.guard?.takeViolations() ?? [])];
  if (strays.length === 0) return;
  const file = suite.file ?? (suite as RunnerTestFile);
  file.meta.stressStrayViolations = strays;
  throw strayViolationFailure(file.name, strays);
});
