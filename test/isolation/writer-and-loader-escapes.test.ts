import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createEscapeContext, ESCAPES, type EscapeContext } from '../../fixtures/isolation/index.ts';
import { REAL_CORE_LOADERS } from '../../fixtures/isolation/real-core-loaders.ts';
import { UNPATCHED_WRITERS } from '../../fixtures/isolation/unpatched-writers.ts';
import { expectEachCaughtUnderGuard } from '../support/escape-assertions.ts';

let context: EscapeContext;

beforeEach(async () => {
  context = await createEscapeContext();
});

afterEach(async () => {
  await context.close();
});

const byName = (name: string) => UNPATCHED_WRITERS.find((attempt) => attempt.name.startsWith(name))!;

describe('other ways to the real core, and writers outside fs and net (issue 19)', () => {
  it('are part of the corpus every runner uses', () => {
    expect(ESCAPES).toEqual(expect.arrayContaining([...REAL_CORE_LOADERS, ...UNPATCHED_WRITERS]));
  });

  // A corpus entry that reaches nothing would pass under any guard.
  for (const attempt of REAL_CORE_LOADERS) {
    it(`load the real core without the guard: ${attempt.name}`, async () => {
      await attempt.prepare?.(context);
      const loaded = (await attempt.attempt(context)) as Record<string, unknown>;
      expect(typeof loaded.InboxMessagingCore).toBe('function');
    });
  }

  for (const name of ['v8.writeHeapSnapshot', 'process.report.writeReport', 'trace_events']) {
    it(`change an inbox without the guard: ${name}`, async () => {
      const attempt = byName(name);
      const before = context.fingerprint();
      await attempt.attempt(context);
      expect(context.fingerprint()).not.toBe(before);
    });
  }

  it('send a datagram to the chosen DNS server without the guard', async () => {
    await byName('dns.Resolver').attempt(context);
    await context.flushCanaries();
    expect(context.escapedArrivals().udp).toBeGreaterThan(0);
  });

  // Not run unguarded: module.register cannot be undone in this worker, and a WASI instance only writes once a
  // WebAssembly module runs in it; both are judged where they hand over (the hooks, the preopened directory).

  // The loaders are checked under the guard by corpus.test.ts, in a worker that has not loaded the core yet: here
  // the unguarded tests above have, and a module evaluated once is not evaluated again.
  it('the writers are each caught under the guard, and nothing reaches an inbox or the network', async () => {
    const before = context.fingerprint();
    await expectEachCaughtUnderGuard(UNPATCHED_WRITERS, context);
    await context.flushCanaries();
    expect(context.fingerprint()).toBe(before);
    expect(context.escapedArrivals()).toEqual({ tcp: 0, udp: 0 });
  });
});
