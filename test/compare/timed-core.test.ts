import { describe, expect, it } from 'vitest';
import { type DeliveredUnit, timedCoreFactory } from '../../src/compare/index.ts';
import { type DeliveryEvent, runUntil, SeededRandom, VirtualClock } from '../../src/engine/index.ts';
import type { MessagingCore } from '../../src/protocol/index.ts';
import { checkMessage } from '../../src/validate/queue/check-message.ts';

function setup(real: MessagingCore) {
  const clock = new VirtualClock();
  const events: DeliveryEvent[] = [];
  const delivered: DeliveredUnit[] = [];
  let holds = 0;
  const core = timedCoreFactory(
    real,
    delivered,
  )({
    clock,
    random: new SeededRandom(1),
    sink: { onDelivery: (event) => events.push(event) },
    chaos: undefined,
    externalWork: async (work) => {
      holds++;
      const release = clock.hold();
      try {
        return await work();
      } finally {
        release();
      }
    },
  });
  return { clock, events, delivered, core, holds: () => holds };
}

const busy = (ms: number): void => {
  const end = performance.now() + ms;
  while (performance.now() < end);
};

describe('timedCoreFactory', () => {
  it('runs the real call as external work, waits its wall time on the virtual clock and reports it', async () => {
    const { clock, events, delivered, core, holds } = setup({
      deliver: async () => {
        busy(5);
        return true;
      },
    });
    const answer = core.deliver(checkMessage({ index: 1 }), 'Agent-2', { attempt: 1 });
    await runUntil(clock, answer);
    expect(await answer).toBe(true);
    expect(holds()).toBe(1);
    expect(delivered).toEqual([{ messageId: 'q-1', recipient: 'Agent-2' }]);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ recipient: 'Agent-2', attempt: 1, outcome: 'delivered', startedAt: 0 });
    expect(events[0]!.finishedAt).toBeGreaterThanOrEqual(5);
  });

  it('reports a false answer as failed and a throw as threw, and rethrows', async () => {
    const failing = setup({ deliver: async () => false });
    const answer = failing.core.deliver(checkMessage({ index: 2 }), 'Agent-2', { attempt: 2 });
    await runUntil(failing.clock, answer);
    expect(await answer).toBe(false);
    expect(failing.events[0]).toMatchObject({ outcome: 'failed', attempt: 2 });
    expect(failing.delivered).toEqual([]);

    const throwing = setup({
      deliver: async () => {
        throw new Error('disk full');
      },
    });
    const thrown = throwing.core.deliver(checkMessage({ index: 3 }), 'Agent-2', { attempt: 1 });
    const settled = thrown.catch((error: unknown) => error);
    await runUntil(throwing.clock, settled);
    expect(await settled).toMatchObject({ message: 'disk full' });
    expect(throwing.events[0]).toMatchObject({ outcome: 'threw' });
  });
});
