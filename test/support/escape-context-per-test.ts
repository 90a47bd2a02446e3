import { afterEach, beforeEach } from 'vitest';
import { createEscapeContext, type EscapeContext } from '../../fixtures/isolation/index.ts';
import type { IsolationGuard } from '../../src/isolation/index.ts';

/** What a test file of the isolation guard shares: the current test's escape context and the guard it installed. */
export interface EscapeScope {
  /** A fresh throw-away project per test (inboxes, listeners), closed after it. */
  readonly context: EscapeContext;
  /** Set by a test that installs a guard; uninstalled after the test, whatever happened. */
  guard: IsolationGuard | undefined;
}

/** Gives every test of the file a fresh escape context, and removes its guard and context afterwards. */
export function escapeContextPerTest(): EscapeScope {
  let context: EscapeContext | undefined;
  const scope: EscapeScope = {
    get context(): EscapeContext {
      if (context === undefined) throw new Error('The escape context exists only while a test runs.');
      return context;
    },
    guard: undefined,
  };
  beforeEach(async () => {
    context = await createEscapeContext();
  });
  afterEach(async () => {
    scope.guard?.uninstall();
    scope.guard = undefined;
    await context?.close();
    context = undefined;
  });
  return scope;
}
