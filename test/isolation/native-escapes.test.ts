import { existsSync } from 'node:fs';
import { url } from 'node:inspector';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createEscapeContext, ESCAPES, type EscapeContext } from '../../fixtures/isolation/index.ts';
import { NATIVE_ESCAPES } from '../../fixtures/isolation/native-escapes.ts';
import {
  type AgentBridgeListener,
  listenOnAgentBridge,
} from '../../fixtures/isolation/support/agent-bridge-listener.ts';
import { expectEachCaughtUnderGuard } from '../support/escape-assertions.ts';

let context: EscapeContext;
let bridge: AgentBridgeListener;

beforeEach(async () => {
  context = await createEscapeContext();
  bridge = await listenOnAgentBridge(context);
});

afterEach(async () => {
  await bridge.close();
  await context.close();
});

/** What an attempt visibly reached: files, processes, connections, a debugger port, Node's addon loader. */
async function reached(attempt: (typeof NATIVE_ESCAPES)[number], before: string): Promise<string[]> {
  await attempt.prepare?.(context);
  let outcome: unknown;
  let error: unknown;
  try {
    outcome = await attempt.attempt(context);
  } catch (caught) {
    error = caught;
  }
  await attempt.cleanup?.(context);
  await context.flushCanaries();
  await bridge.flushCanary();
  const arrivals = context.escapedArrivals();
  return [
    ...(context.fingerprint() === before ? [] : ['inbox changed']),
    ...(existsSync(context.marker) ? ['process ran'] : []),
    ...(arrivals.tcp + arrivals.udp + bridge.escapedConnections() > 0 ? ['connection arrived'] : []),
    ...(typeof outcome === 'string' && outcome.startsWith('ws://') ? ['debugger port opened'] : []),
    ...(Array.isArray(outcome) && outcome.length > 0 ? ['name resolved'] : []),
    ...(error instanceof Error && /file too short|No such binding was linked/.test(error.message)
      ? ['reached the native loader']
      : []),
  ];
}

describe('escapes below the public Node modules (fixtures/isolation/escapes, issue 12)', () => {
  it('are part of the corpus every runner uses', () => {
    expect(ESCAPES).toEqual(expect.arrayContaining([...NATIVE_ESCAPES]));
  });

  // A corpus entry that escapes nothing would pass under any guard.
  for (const attempt of NATIVE_ESCAPES) {
    it(`reach outside without the guard: ${attempt.name}`, async () => {
      expect(await reached(attempt, context.fingerprint())).not.toEqual([]);
    });
  }

  it('are each caught under the guard, and nothing arrives, runs or opens', async () => {
    const before = context.fingerprint();
    await expectEachCaughtUnderGuard(NATIVE_ESCAPES, context);
    await context.flushCanaries();
    await bridge.flushCanary();
    expect(context.fingerprint()).toBe(before);
    expect(existsSync(context.marker)).toBe(false);
    expect({ ...context.escapedArrivals(), pipe: bridge.escapedConnections() }).toEqual({
      tcp: 0,
      udp: 0,
      pipe: 0,
    });
    expect(url()).toBeUndefined();
  });
});
