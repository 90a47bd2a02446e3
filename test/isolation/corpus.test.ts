import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CLEAN_WORK,
  createEscapeContext,
  ESCAPES,
  type EscapeContext,
} from '../../fixtures/isolation/index.ts';
import { runCleanUnderGuard, runEscapeUnderGuard } from '../../fixtures/isolation/support/run-under-guard.ts';
import { isIsolationViolation } from '../../src/isolation/index.ts';

const CORPUS = fileURLToPath(new URL('../../fixtures/isolation/', import.meta.url));

/** Escapes whose code swallows the failure, as fire-and-forget code does; the guard must record them anyway. */
const SWALLOWED = new Set(['write from a timer that fires after the caller returned']);

let context: EscapeContext;
let fingerprint: string;

beforeAll(async () => {
  context = await createEscapeContext();
  fingerprint = context.fingerprint();
});

afterAll(async () => {
  await context.close();
});

describe('escape corpus under the guard, inside a Vitest worker', () => {
  it('has at least 25 escapes, each its own module, with distinct names', () => {
    expect(ESCAPES.length).toBeGreaterThanOrEqual(25);
    expect(new Set(ESCAPES.map((attempt) => attempt.name)).size).toBe(ESCAPES.length);
  });

  // Imports in a Vitest worker go through Vite's module runner, not Node's loader: the native test covers them.
  for (const attempt of ESCAPES.filter((candidate) => candidate.route !== 'esm-loader')) {
    it(`catches: ${attempt.name}`, async () => {
      const outcome = await runEscapeUnderGuard(attempt, context);
      const expected = attempt.expected(context);
      expect(outcome.violations.length).toBeGreaterThanOrEqual(1);
      const [first] = outcome.violations;
      expect(first).toMatchObject({ ...expected, test: attempt.name, blocked: true });
      expect(first?.frame?.startsWith(CORPUS), `frame ${first?.frame}`).toBe(true);
      if (SWALLOWED.has(attempt.name)) expect(outcome.error).toBeUndefined();
      else expect(isIsolationViolation(outcome.error), String(outcome.error)).toBe(true);
    });
  }

  for (const work of CLEAN_WORK) {
    it(`allows: ${work.name}`, async () => {
      const outcome = await runCleanUnderGuard(work, context);
      expect(outcome.error).toBeUndefined();
      expect(outcome.violations).toEqual([]);
    });
  }

  it('let nothing reach the disk, the network or a process', async () => {
    await context.flushCanaries();
    expect(context.fingerprint()).toBe(fingerprint);
    expect(existsSync(context.marker)).toBe(false);
    expect(context.escapedArrivals()).toEqual({ tcp: 0, udp: 0 });
  });
});
