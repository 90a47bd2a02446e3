import { describe, expect, it } from 'vitest';
import type { MessagingCore } from '../../src/protocol/index.ts';
import {
  DELIVERY_FAILED,
  DELIVERY_TIMEOUT,
  deliverToRecipients,
} from '../../src/queue/deliver-to-recipients.ts';
import { makeMessage } from './fixtures.ts';
import { ManualClock } from './manual-clock.ts';
import { ScriptedCore } from './scripted-core.ts';

describe('deliverToRecipients', () => {
  it('reports each recipient: delivered, false, rejected, thrown synchronously, and hung past the timeout', async () => {
    const clock = new ManualClock();
    const scripted = new ScriptedCore(
      clock,
      (call) => ({ a: true, b: false, c: new Error('refused'), d: 'hang' as const })[call.recipient] ?? true,
    );
    const core: MessagingCore = {
      deliver: (message, recipient, attempt) => {
        if (recipient === 'e') throw new TypeError('sync boom');
        return scripted.deliver(message, recipient, attempt);
      },
    };
    const outcome = deliverToRecipients({
      core,
      clock,
      message: makeMessage(1),
      recipients: ['a', 'b', 'c', 'd', 'e'],
      attempt: 2,
      timeoutMs: 500,
    });
    await clock.advance(500);
    expect(await outcome).toEqual([
      { recipient: 'a' },
      { recipient: 'b', error: DELIVERY_FAILED },
      { recipient: 'c', error: 'refused' },
      { recipient: 'd', error: DELIVERY_TIMEOUT },
      { recipient: 'e', error: 'sync boom' },
    ]);
    expect(scripted.calls.every((call) => call.attempt === 2 && call.signal?.aborted)).toBe(true);
    expect(scripted.calls[0]?.signal?.reason).toMatchObject({ code: 'ERR_DELIVERY_TIMEOUT' });
  });

  it('aborts through onAbort a core that waits that way, creating no signal for it', async () => {
    const clock = new ManualClock();
    const reasons: unknown[] = [];
    const attempts: object[] = [];
    const core: MessagingCore = {
      deliver: (_message, _recipient, attempt) =>
        new Promise<boolean>((_resolve, reject) => {
          attempts.push(attempt);
          attempt.onAbort?.((reason) => {
            reasons.push(reason);
            reject(reason);
          });
        }),
    };
    const Real = globalThis.AbortController;
    let made = 0;
    globalThis.AbortController = class extends Real {
      constructor() {
        super();
        made++;
      }
    };
    let outcome: ReturnType<typeof deliverToRecipients>;
    try {
      outcome = deliverToRecipients({
        core,
        clock,
        message: makeMessage(1),
        recipients: ['a', 'b'],
        attempt: 1,
        timeoutMs: 100,
      });
      await clock.advance(100);
    } finally {
      globalThis.AbortController = Real;
    }
    expect(made).toBe(0);
    expect(await outcome).toEqual([
      { recipient: 'a', error: DELIVERY_TIMEOUT },
      { recipient: 'b', error: DELIVERY_TIMEOUT },
    ]);
    expect(reasons).toHaveLength(2);
    expect(reasons[0]).toMatchObject({ code: 'ERR_DELIVERY_TIMEOUT' });
    expect(attempts).toHaveLength(2);
    // A core that reads the signal gets one, aborted the same way (the first test).
  });

  it('clears its timer when every delivery settled in time, and does nothing for no recipients', async () => {
    const clock = new ManualClock();
    const core = new ScriptedCore(clock);
    const base = { core, clock, message: makeMessage(1), attempt: 1, timeoutMs: 1000 };
    expect(await deliverToRecipients({ ...base, recipients: ['a'] })).toEqual([{ recipient: 'a' }]);
    expect(clock.pendingTimers).toBe(0);
    expect(core.calls[0]?.signal?.aborted).toBe(false);
    expect(await deliverToRecipients({ ...base, recipients: [] })).toEqual([]);
  });
});
