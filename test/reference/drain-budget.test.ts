import { describe, expect, it } from 'vitest';
import { runStress as engineRun, type StressTargetFactory } from '../../src/engine/index.ts';
import { isBroadcast } from '../../src/protocol/index.ts';
import { createReferenceTarget, runStress } from '../../src/reference/index.ts';
import { referenceSettleTimeMs } from '../../src/reference/reference-target.ts';
import { resolveReferenceTargetOptions } from '../../src/reference/reference-target-options.ts';

describe('the final drain budget follows from the target (issue 11)', () => {
  it('the reference target settles the seed 1877045750 hang-heavy run without a false drain timeout', async () => {
    const report = await runStress({
      seed: 1877045750,
      target: createReferenceTarget(),
      chaos: { rates: { agent_full: 0.028, hang: 0.095, latency_spike: 0.02 } },
    });
    expect(report.failures.filter((f) => f.startsWith('final drain'))).toEqual([]);
    expect(report.drain.status).toBe('drained');
  });
});

/** Holds every message 700 s of virtual time before delivering it: correct, but slower than the default drain timeout. */
function slowTarget(declare: boolean): StressTargetFactory {
  return ({ clock, messagingCore, agents }) => {
    let held = 0;
    let idle: (() => void) | undefined;
    return {
      enqueue: (message) => {
        held += 1;
        clock.setTimer(700_000, async () => {
          const to = isBroadcast(message) ? agents : [message.recipient];
          for (const recipient of to) await messagingCore.deliver(message, recipient, { attempt: 1 });
          held -= 1;
          if (held === 0) idle?.();
        });
      },
      whenIdle: () => (held === 0 ? Promise.resolve() : new Promise<void>((resolve) => (idle = resolve))),
      inspect: () => ({ pending: held, processing: 0 }),
      close: async () => {},
      ...(declare ? { settleTimeMs: () => 800_000 } : {}),
    };
  };
}

describe('a target-declared settle time', () => {
  const base = { agents: 1, messagesPerAgent: 2, seed: 3 } as const;

  it('extends the default drain so a slow but correct target passes; without it the drain times out', async () => {
    const declared = await engineRun({ ...base, target: slowTarget(true) });
    expect(declared.drain.status).toBe('drained');
    const undeclared = await engineRun({ ...base, target: slowTarget(false) });
    expect(undeclared.drain.status).toBe('timeout');
  });

  it('does not override a drainTimeoutMs the caller set', async () => {
    const fixed = await engineRun({ ...base, target: slowTarget(true), drainTimeoutMs: 1000 });
    expect(fixed.drain.status).toBe('timeout');
  });

  it('scales the reference target budget with what it holds', () => {
    const options = resolveReferenceTargetOptions({});
    expect(referenceSettleTimeMs(options, 0)).toBeGreaterThan(0);
    expect(referenceSettleTimeMs(options, 400)).toBeGreaterThan(referenceSettleTimeMs(options, 40));
  });
});
