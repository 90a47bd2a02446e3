import { getEventListeners } from 'node:events';
import { describe, expect, it } from 'vitest';
import { QueueWaiters } from '../../src/queue/queue-waiters.ts';

describe('QueueWaiters', () => {
  it('wakes work waiters with true, and with false when their signal aborts', async () => {
    const waiters = new QueueWaiters();
    const controller = new AbortController();
    const cancelled = waiters.waitForWork(controller.signal);
    const woken = waiters.waitForWork(undefined);
    expect(waiters.wantsWork).toBe(true);
    controller.abort();
    expect(await cancelled).toBe(false);
    waiters.wakeWork();
    expect(await woken).toBe(true);
    expect(waiters.wantsWork).toBe(false);
  });

  it("listens once per signal however often it waits, and an abort cancels only that signal's waiters", async () => {
    const waiters = new QueueWaiters();
    const mine = new AbortController();
    const other = new AbortController();
    const waits: Promise<boolean>[] = [];
    for (let i = 0; i < 50; i++) {
      waits.push(waiters.waitForWork(mine.signal));
      waiters.wakeWork();
    }
    expect(await Promise.all(waits)).toEqual(Array.from({ length: 50 }, () => true));
    expect(getEventListeners(mine.signal, 'abort')).toHaveLength(1);
    const cancelled = waiters.waitForWork(mine.signal);
    const kept = waiters.waitForWork(other.signal);
    mine.abort();
    expect(await cancelled).toBe(false);
    expect(waiters.wantsWork).toBe(true);
    waiters.wakeWork();
    expect(await kept).toBe(true);
    // A signal that has aborted already answers false at once.
    expect(await waiters.waitForWork(mine.signal)).toBe(false);
    expect(waiters.wantsWork).toBe(false);
  });

  it('resolves idle waiters on wakeIdle and rejects them with ERR_QUEUE_CLOSED on close', async () => {
    const waiters = new QueueWaiters();
    const first = waiters.waitForIdle();
    expect(waiters.wantsIdle).toBe(true);
    waiters.wakeIdle();
    await expect(first).resolves.toBeUndefined();
    const second = waiters.waitForIdle();
    const work = waiters.waitForWork(undefined);
    waiters.close();
    await expect(second).rejects.toMatchObject({ code: 'ERR_QUEUE_CLOSED' });
    expect(await work).toBe(false);
  });
});
