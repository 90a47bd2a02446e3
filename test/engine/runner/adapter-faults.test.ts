import { describe, expect, it } from 'vitest';
import { runStress, type StressTargetFactory } from '../../../src/engine/index.ts';
import { isBroadcast } from '../../../src/protocol/index.ts';

/** Delivers at once; `whenIdle` or `close` may fail as a faulty adapter's would. */
function faulty(fault: 'none' | 'whenIdle' | 'close'): StressTargetFactory {
  return ({ messagingCore, agents }) => ({
    enqueue: async (message) => {
      for (const to of isBroadcast(message) ? agents : [message.recipient])
        await messagingCore.deliver(message, to, { attempt: 1 });
    },
    whenIdle: async () => {
      if (fault === 'whenIdle') throw new Error('idle broke');
    },
    inspect: () => ({ pending: 0, processing: 0 }),
    close: async () => {
      if (fault === 'close') throw new Error('close broke');
    },
  });
}

describe('adapter faults are findings (issue 11)', () => {
  const base = { agents: 2, messagesPerAgent: 3, seed: 4 } as const;

  it('fails the run when whenIdle() rejects', async () => {
    const report = await runStress({ ...base, target: faulty('whenIdle') });
    expect(report.ok).toBe(false);
    expect(report.failures).toContain('target.whenIdle() rejected: idle broke');
  });

  it('fails the run when close() throws', async () => {
    const report = await runStress({ ...base, target: faulty('close') });
    expect(report.ok).toBe(false);
    expect(report.failures).toContain('target.close() threw: close broke');
  });

  it('passes the same adapter without faults', async () => {
    const report = await runStress({ ...base, target: faulty('none') });
    expect(report.failures).toEqual([]);
  });
});
