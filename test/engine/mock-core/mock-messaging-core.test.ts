import { describe, expect, it } from 'vitest';
import { ChaosInjector } from '../../../src/engine/chaos/chaos-injector.ts';
import type { ChaosSchedule } from '../../../src/engine/chaos/chaos-schedule.ts';
import { runUntil } from '../../../src/engine/clock/run-until.ts';
import { VirtualClock } from '../../../src/engine/clock/virtual-clock.ts';
import type { DeliveryEvent } from '../../../src/engine/mock-core/delivery-sink.ts';
import { MockMessagingCore } from '../../../src/engine/mock-core/mock-messaging-core.ts';
import type { MockMessagingCoreOptions } from '../../../src/engine/mock-core/mock-messaging-core-options.ts';
import { SeededRandom } from '../../../src/engine/workload/seeded-random.ts';
import { type Message, StressError } from '../../../src/protocol/index.ts';

const message = (index: number, recipient = 'Agent-1'): Message => ({
  id: `run-${index}`,
  content: `Test message ${index}`,
  sender: 'SYSTEM',
  senderKind: 'system',
  recipient,
  recipientKind: 'agent',
  type: 'system_to_agent',
  priority: 'regular',
  tags: ['system'],
  metadata: {},
  createdAt: 0,
});

type SetupOptions = Partial<Omit<MockMessagingCoreOptions, 'chaos'>> & {
  schedule?: ChaosSchedule;
  seed?: number;
};

function setup({ schedule, seed = 1, ...options }: SetupOptions = {}) {
  const clock = new VirtualClock();
  const events: DeliveryEvent[] = [];
  const random = new SeededRandom(seed);
  const chaos = schedule && new ChaosInjector({ schedule, random: random.fork('chaos'), clock });
  const core = new MockMessagingCore({
    clock,
    random: random.fork('core'),
    sink: { onDelivery: (event) => events.push(event) },
    latency: { kind: 'none' },
    ...(chaos ? { chaos } : {}),
    ...options,
  });
  return { clock, core, events, chaos };
}

/** Delivers to `recipient` with a delivery timeout of `timeoutMs` on the virtual clock. */
function deliverWithTimeout(clock: VirtualClock, core: MockMessagingCore, msg: Message, timeoutMs: number) {
  const controller = new AbortController();
  const timer = clock.setTimer(timeoutMs, () => controller.abort(new Error('delivery timeout')));
  return core
    .deliver(msg, msg.recipient, { attempt: 1, signal: controller.signal })
    .finally(() => clock.clearTimer(timer));
}

const settleAll = async (clock: VirtualClock, calls: Array<Promise<unknown>>) => {
  const all = Promise.allSettled(calls);
  expect((await runUntil(clock, all)).status).toBe('done');
  return all;
};

describe('MockMessagingCore', () => {
  it('answers at once without a timer when latency is none', async () => {
    const { clock, core, events } = setup();
    await expect(core.deliver(message(1), 'Agent-1', { attempt: 2 })).resolves.toBe(true);
    expect(clock.pendingTimers).toBe(0);
    expect(events).toEqual([
      {
        message: message(1),
        recipient: 'Agent-1',
        attempt: 2,
        outcome: 'delivered',
        startedAt: 0,
        finishedAt: 0,
      },
    ]);
    expect(core.inFlight).toBe(0);
  });

  it('waits the default 1-5 ms latency on the clock before reporting', async () => {
    const { clock, core, events } = setup({ latency: undefined });
    const call = core.deliver(message(1), 'Agent-1', { attempt: 1 });
    expect(events).toHaveLength(0);
    expect(core.inFlight).toBe(1);
    await settleAll(clock, [call]);
    await expect(call).resolves.toBe(true);
    expect(events[0]!.finishedAt).toBeGreaterThanOrEqual(1);
    expect(events[0]!.finishedAt).toBeLessThanOrEqual(5);
    expect(core.inFlight).toBe(0);
  });

  it('reports the start of a call only when the call does not answer at once', async () => {
    const starts: string[] = [];
    const clock = new VirtualClock();
    const core = new MockMessagingCore({
      clock,
      random: new SeededRandom(1),
      sink: {
        onDelivery: (event) => starts.push(`end ${event.message.id} at ${event.finishedAt}`),
        onAttemptStart: (msg, recipient, at) => starts.push(`start ${msg.id} to ${recipient} at ${at}`),
      },
      latency: { kind: 'fixed', ms: 3 },
      agents: { 'Agent-2': { latency: { kind: 'none' } } },
    });
    const calls = [core.deliver(message(1), 'Agent-1', { attempt: 1 })];
    calls.push(core.deliver(message(2, 'Agent-2'), 'Agent-2', { attempt: 1 }));
    await settleAll(clock, calls);
    expect(starts).toEqual(['start run-1 to Agent-1 at 0', 'end run-2 at 0', 'end run-1 at 3']);
  });

  it('succeeds at its success rate and counts outcomes', async () => {
    const { core } = setup({ successRate: 0.7 });
    let delivered = 0;
    for (let i = 0; i < 10_000; i++)
      if (await core.deliver(message(i), 'Agent-1', { attempt: 1 })) delivered++;
    expect(delivered).toBeGreaterThan(6700);
    expect(delivered).toBeLessThan(7300);
    expect(core.outcomeCounts()).toMatchObject({ delivered, failed: 10_000 - delivered });
  });

  it('repeats the same outcomes and timings for the same seed', async () => {
    const run = async (seed: number) => {
      const { clock, core, events } = setup({
        seed,
        successRate: 0.8,
        latency: { kind: 'lognormal', medianMs: 3, sigma: 1, capMs: 100 },
        schedule: { rates: { throw: 0.05, delivered_reported_failed: 0.05, latency_spike: 0.1 } },
      });
      const calls = Array.from({ length: 300 }, (_, i) =>
        core.deliver(message(i, `Agent-${(i % 3) + 1}`), `Agent-${(i % 3) + 1}`, { attempt: 1 }),
      );
      await settleAll(clock, calls);
      return events.map((event) => `${event.message.id}:${event.outcome}:${event.finishedAt}`);
    };
    const first = await run(3);
    expect(await run(3)).toEqual(first);
    expect(await run(4)).not.toEqual(first);
  });

  it('applies per-agent overrides: full refuses at once, own success rate, own latency', async () => {
    const { clock, core, events } = setup({
      latency: { kind: 'fixed', ms: 5 },
      agents: {
        'Agent-1': { full: true },
        'Agent-2': { successRate: 0 },
        'Agent-3': { latency: { kind: 'fixed', ms: 50 } },
      },
    });
    await expect(core.deliver(message(1), 'Agent-1', { attempt: 1 })).resolves.toBe(false);
    expect(events[0]).toMatchObject({ outcome: 'refused', finishedAt: 0 });
    expect(clock.pendingTimers).toBe(0);
    const calls = [
      core.deliver(message(2), 'Agent-2', { attempt: 1 }),
      core.deliver(message(3), 'Agent-3', { attempt: 1 }),
      core.deliver(message(4), 'Agent-4', { attempt: 1 }),
    ];
    await settleAll(clock, calls);
    expect(await Promise.all(calls)).toEqual([false, true, true]);
    expect(events.slice(1).map((e) => [e.recipient, e.outcome, e.finishedAt])).toEqual([
      ['Agent-2', 'failed', 5],
      ['Agent-4', 'delivered', 5],
      ['Agent-3', 'delivered', 50],
    ]);
  });

  it('settles a hung call only when its signal aborts, rejecting with the reason', async () => {
    const { clock, core, events, chaos } = setup({ schedule: { rates: { hang: 1 } } });
    const call = deliverWithTimeout(clock, core, message(1), 30);
    let settled = false;
    call.then(
      () => (settled = true),
      () => (settled = true),
    );
    expect(core.inFlight).toBe(1);
    await settleAll(clock, [call]);
    expect(settled).toBe(true);
    await expect(call).rejects.toThrow('delivery timeout');
    expect(events).toMatchObject([{ outcome: 'hung', startedAt: 0, finishedAt: 30 }]);
    expect(chaos!.counts().hang).toBe(1);
    expect(core.inFlight).toBe(0);
  });

  it('waits through onAbort when the attempt offers it, without reading the signal', async () => {
    const { clock, core, events } = setup({ schedule: { rates: { hang: 1 } } });
    let listener: { handleAbort(reason: unknown): void } | undefined;
    const attempt = {
      attempt: 1,
      get signal(): AbortSignal {
        throw new Error('the signal was read');
      },
      onAbort(registered: unknown) {
        listener = registered as { handleAbort(reason: unknown): void };
      },
    };
    const call = core.deliver(message(1), 'Agent-1', attempt);
    expect(listener).toBeDefined();
    clock.setTimer(25, () => listener?.handleAbort(new Error('gave up')));
    await runUntil(
      clock,
      call.catch(() => undefined),
    );
    await expect(call).rejects.toThrow('gave up');
    expect(events).toMatchObject([{ outcome: 'hung', finishedAt: 25 }]);
    expect(core.inFlight).toBe(0);
    // An abort after the call settled changes nothing.
    listener?.handleAbort(new Error('late'));
    expect(events).toHaveLength(1);
    expect(core.inFlight).toBe(0);
  });

  it('never settles a hung call without a signal (the run reports idle)', async () => {
    const { clock, core, events } = setup({ schedule: { rates: { hang: 1 } } });
    const call = core.deliver(message(1), 'Agent-1', { attempt: 1 });
    expect((await runUntil(clock, call)).status).toBe('idle');
    expect(events).toHaveLength(0);
    expect(core.inFlight).toBe(1);
  });

  it('turns an abort during the latency into a hung outcome and cancels the timer', async () => {
    const { clock, core, events } = setup({ latency: { kind: 'fixed', ms: 100 } });
    const call = deliverWithTimeout(clock, core, message(1), 40);
    await settleAll(clock, [call]);
    await expect(call).rejects.toThrow('delivery timeout');
    expect(events).toMatchObject([{ outcome: 'hung', finishedAt: 40 }]);
    expect(clock.pendingTimers).toBe(0);

    const early = core.deliver(message(2), 'Agent-1', {
      attempt: 1,
      signal: AbortSignal.abort(new Error('gone')),
    });
    await expect(early).rejects.toThrow('gone');
    expect(events[1]).toMatchObject({ outcome: 'hung', startedAt: 40, finishedAt: 40 });
  });

  it('throws ERR_CHAOS_INJECTED after the latency for a throw fault', async () => {
    const { clock, core, events } = setup({
      latency: { kind: 'fixed', ms: 10 },
      schedule: { rates: { throw: 1 } },
    });
    const call = core.deliver(message(1), 'Agent-1', { attempt: 3 });
    await settleAll(clock, [call]);
    const error = await call.catch((caught: unknown) => caught);
    expect(StressError.is(error, 'ERR_CHAOS_INJECTED')).toBe(true);
    expect((error as StressError).details).toEqual({ messageId: 'run-1', recipient: 'Agent-1', attempt: 3 });
    expect(events).toMatchObject([{ outcome: 'threw', finishedAt: 10 }]);
    const instant = setup({ schedule: { rates: { throw: 1 } } });
    await expect(instant.core.deliver(message(2), 'Agent-1', { attempt: 1 })).rejects.toThrow(/throw/);
  });

  it('answers false for delivered-reported-failed, true twice-delivered for a duplicate', async () => {
    const drf = setup({ schedule: { rates: { delivered_reported_failed: 1 } } });
    await expect(drf.core.deliver(message(1), 'Agent-1', { attempt: 1 })).resolves.toBe(false);
    expect(drf.events.map((event) => event.outcome)).toEqual(['delivered_reported_failed']);

    const dup = setup({ schedule: { rates: { duplicate_delivery: 1 } } });
    await expect(dup.core.deliver(message(1), 'Agent-1', { attempt: 1 })).resolves.toBe(true);
    expect(dup.events.map((event) => event.outcome)).toEqual(['delivered', 'delivered']);
    expect(dup.events[0]).not.toBe(dup.events[1]);
    expect(dup.core.outcomeCounts().delivered).toBe(2);
  });

  it('fails a delivery_failure at once, skipping the latency', async () => {
    const { clock, core, events } = setup({
      latency: { kind: 'fixed', ms: 100 },
      schedule: { rates: { delivery_failure: 1 } },
    });
    await expect(core.deliver(message(1), 'Agent-1', { attempt: 1 })).resolves.toBe(false);
    expect(events).toMatchObject([{ outcome: 'failed', finishedAt: 0 }]);
    expect(clock.pendingTimers).toBe(0);
  });

  it('reports exactly the faults the injector counted', async () => {
    const { clock, core, events, chaos } = setup({
      latency: { kind: 'fixed', ms: 5 },
      schedule: {
        rates: {
          agent_full: 0.05,
          delivery_failure: 0.05,
          throw: 0.05,
          hang: 0.05,
          delivered_reported_failed: 0.05,
          duplicate_delivery: 0.05,
          latency_spike: 0.1,
        },
        spike: { minMs: 0, maxMs: 500 },
      },
    });
    const n = 4000;
    const calls = Array.from({ length: n }, (_, i) => deliverWithTimeout(clock, core, message(i), 1000));
    await settleAll(clock, calls);
    const counts = chaos!.counts();
    const outcomes = core.outcomeCounts();
    const tally = (outcome: string) => events.filter((event) => event.outcome === outcome).length;
    expect(tally('refused')).toBe(counts.agent_full);
    expect(tally('failed')).toBe(counts.delivery_failure);
    expect(tally('threw')).toBe(counts.throw);
    expect(tally('hung')).toBe(counts.hang);
    expect(tally('delivered_reported_failed')).toBe(counts.delivered_reported_failed);
    const faulted = counts.agent_full + counts.delivery_failure + counts.throw + counts.hang;
    const ordinary = n - faulted - counts.delivered_reported_failed - counts.duplicate_delivery;
    expect(tally('delivered')).toBe(ordinary + 2 * counts.duplicate_delivery);
    expect(events).toHaveLength(n + counts.duplicate_delivery);
    expect(outcomes.delivered).toBe(tally('delivered'));
    for (const kind of ['agent_full', 'hang', 'duplicate_delivery', 'latency_spike'] as const) {
      expect(counts[kind]).toBeGreaterThan(100);
    }
  });

  it('keeps only the last recentCapacity events', async () => {
    const { core } = setup({ recentCapacity: 3 });
    for (let i = 0; i < 10; i++) await core.deliver(message(i), 'Agent-1', { attempt: 1 });
    expect(core.recentDeliveries().map((event) => event.message.id)).toEqual(['run-7', 'run-8', 'run-9']);
    const none = setup({ recentCapacity: 0 });
    await none.core.deliver(message(1), 'Agent-1', { attempt: 1 });
    expect(none.core.recentDeliveries()).toEqual([]);
  });

  it.each([
    [{ successRate: 2 }, /`successRate` to be a probability/],
    [{ recentCapacity: -1 }, /`recentCapacity` to be an integer/],
    [{ latency: { kind: 'slow' } }, /`latency.kind`/],
    [{ agents: { '../x': {} } }, /safe agent id/],
    [{ agents: { 'Agent-1': { fast: true } } }, /`agents.Agent-1.fast` to be absent/],
    [{ agents: { 'Agent-1': { latency: { kind: 'fixed', ms: -2 } } } }, /`agents.Agent-1.latency.ms`/],
    [{ agents: { 'Agent-1': { full: 'yes' } } }, /`agents.Agent-1.full` to be a boolean/],
    [{ sink: {} }, /`sink` to be a DeliverySink/],
  ])('rejects bad options %j', (options, message) => {
    expect(() => setup(options as SetupOptions)).toThrow(message);
  });
});
