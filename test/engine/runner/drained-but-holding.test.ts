import { describe, expect, it } from 'vitest';
import { runStress, type StressTargetFactory } from '../../../src/engine/index.ts';
import { isBroadcast } from '../../../src/protocol/index.ts';

/** Delivers every message at once, except that it parks the first `park` units forever and still says idle. */
function parking(park: number): StressTargetFactory {
  return ({ messagingCore, agents }) => {
    let parked = 0;
    return {
      enqueue: async (message) => {
        if (parked < park) {
          parked += 1;
          return;
        }
        for (const to of isBroadcast(message) ? agents : [message.recipient])
          await messagingCore.deliver(message, to, { attempt: 1 });
      },
      whenIdle: async () => {},
      inspect: () => ({ pending: parked, processing: 0 }),
      close: async () => {},
    };
  };
}

describe('drained but holding (issue 11)', () => {
  it('fails a run whose whenIdle() resolves while inspect() still reports held units', async () => {
    const report = await runStress({ target: parking(1), agents: 2, messagesPerAgent: 3, seed: 4 });
    expect(report.ok).toBe(false);
    expect(report.failures.join('\n')).toContain('drained but holding');
  });

  it('passes the same target when it holds nothing', async () => {
    const report = await runStress({ target: parking(0), agents: 2, messagesPerAgent: 3, seed: 4 });
    expect(report.failures).toEqual([]);
    expect(report.ok).toBe(true);
  });
});
