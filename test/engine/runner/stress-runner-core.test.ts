import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../../src/engine/clock/virtual-clock.ts';
import type { DeliveryOutcome } from '../../../src/engine/mock-core/delivery-sink.ts';
import type { MessagingCoreContext, StressOptions } from '../../../src/engine/runner/stress-options.ts';
import { runStress } from '../../../src/engine/runner/stress-runner.ts';
import type { StressTargetFactory } from '../../../src/engine/runner/stress-target.ts';
import { isBroadcast, type Message, type MessagingCore, StressError } from '../../../src/protocol/index.ts';

/** Delivers every message at once through the injected core, fanning broadcasts out; no retries. */
const directTarget: StressTargetFactory = (context) => {
  let pending = 0;
  let idle: Array<() => void> = [];
  const settle = (): void => {
    if (pending > 0) return;
    for (const wake of idle) wake();
    idle = [];
  };
  const deliver = async (message: Message): Promise<void> => {
    const recipients = isBroadcast(message) ? context.agents : [message.recipient];
    await Promise.all(
      recipients.map(async (recipient) => {
        const ok = await context.messagingCore.deliver(message, recipient, { attempt: 1 }).catch(() => false);
        if (!ok) context.events.deadLettered(message, [recipient], 'failed');
      }),
    );
    pending--;
    settle();
  };
  return {
    enqueue: async (message) => {
      pending++;
      void deliver(message);
    },
    whenIdle: () => (pending === 0 ? Promise.resolve() : new Promise<void>((resolve) => idle.push(resolve))),
    inspect: () => ({ pending, processing: 0 }),
    close: async () => {},
  };
};

/** A core that answers after `latencyMs` on the run's clock and reports each call to the sink. */
function reportingCore(
  context: MessagingCoreContext,
  latencyMs: number,
  outcome: (message: Message) => DeliveryOutcome = () => 'delivered',
): MessagingCore {
  return {
    async deliver(message, recipient, attempt) {
      const startedAt = context.clock.now();
      await context.clock.sleep(latencyMs);
      const result = outcome(message);
      context.sink.onDelivery({
        message,
        recipient,
        attempt: attempt.attempt,
        outcome: result,
        startedAt,
        finishedAt: context.clock.now(),
      });
      return result === 'delivered';
    },
  };
}

const base: StressOptions = { target: directTarget, agents: 3, messagesPerAgent: 20, seed: 7 };

describe('StressRunner with a messagingCore factory', () => {
  it('routes every delivery through the factory core and its sink, not the mock core', async () => {
    const calls: MessagingCoreContext[] = [];
    const report = await runStress({
      ...base,
      // The mock core would fail everything; the factory core must replace it entirely.
      core: { successRate: 0 },
      messagingCore: (context) => {
        calls.push(context);
        return reportingCore(context, 7);
      },
    });
    expect(calls).toHaveLength(1);
    expect(calls[0]?.clock).toBeInstanceOf(VirtualClock);
    expect(calls[0]?.chaos).toBeUndefined();
    expect(report.ok).toBe(true);
    expect(report.invariants.delivered).toBe(60);
    expect(report.metrics.success_rate).toBe(1);
    expect(report.metrics.latency_stats.min_ms).toBeCloseTo(7, 1);
    expect(report.metrics.latency_stats.max_ms).toBeCloseTo(7, 1);
  });

  it('lets the ledger see what the factory core reports: silent drops are lost units', async () => {
    let n = 0;
    const report = await runStress({
      ...base,
      messagingCore: (context) => ({
        async deliver(message, recipient, attempt) {
          n++;
          // Every fifth call answers true without reporting a delivery: the ledger must count it lost.
          if (n % 5 === 0) return true;
          return reportingCore(context, 1).deliver(message, recipient, attempt);
        },
      }),
    });
    expect(report.ok).toBe(false);
    expect(report.invariants.lost).toBeGreaterThan(0);
    expect(report.invariants.delivered + report.invariants.lost).toBe(60);
  });

  it('hands the factory an externalWork that holds the virtual clock during real work', async () => {
    const readings: number[] = [];
    const report = await runStress({
      ...base,
      messagingCore: (context) => ({
        async deliver(message, recipient, attempt) {
          const startedAt = context.clock.now();
          await context.externalWork(async () => {
            // Real macrotasks: a virtual clock that moved during them would break determinism.
            await new Promise((resolve) => setImmediate(resolve));
            await new Promise((resolve) => setImmediate(resolve));
          });
          readings.push(context.clock.now() - startedAt);
          context.sink.onDelivery({
            message,
            recipient,
            attempt: attempt.attempt,
            outcome: 'delivered',
            startedAt,
            finishedAt: context.clock.now(),
          });
          return true;
        },
      }),
    });
    expect(report.ok).toBe(true);
    expect(readings).toHaveLength(60);
    expect(new Set(readings)).toEqual(new Set([0]));
  });

  it('passes the chaos injector when chaos is on', async () => {
    let chaos: unknown;
    await runStress({
      ...base,
      chaos: 'original',
      messagingCore: (context) => {
        chaos = context.chaos;
        return reportingCore(context, 1);
      },
    });
    expect(chaos).toBeDefined();
  });

  it('rejects a messagingCore that is not a function', () => {
    const bad = { ...base, messagingCore: {} } as unknown as StressOptions;
    expect(() => runStress(bad)).toThrow(StressError);
    expect(() => runStress(bad)).toThrow(/`messagingCore` to be a factory/);
  });
});
