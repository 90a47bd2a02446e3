import { describe, expect, it } from 'vitest';
import type { StressTargetFactory } from '../../src/engine/index.ts';
import { StressError } from '../../src/protocol/index.ts';
import { runStress } from '../../src/reference/run-stress.ts';

/** A target that takes its first `room` messages, delivers them, and refuses every later one as full. */
const cramped =
  (room: number): StressTargetFactory =>
  ({ messagingCore, agents }) => {
    let taken = 0;
    return {
      enqueue(message) {
        if (taken >= room) throw new StressError('ERR_QUEUE_FULL', 'full');
        taken++;
        const recipients = message.recipient === 'ALL' ? agents : [message.recipient];
        for (const recipient of recipients) void messagingCore.deliver(message, recipient, { attempt: 1 });
      },
      whenIdle: async () => {},
      inspect: () => ({ pending: 0, processing: 0 }),
      close: async () => {},
    };
  };
// A run that refused most of what it was asked to send did not test what it was asked to: it fails by default,
// says so in units, and a test that means to overload the target can relax the limit.
describe('the default limit on refused work', () => {
  it('fails a run whose target refuses most of the workload, naming the threshold and how to relax it', async () => {
    const report = await runStress({
      seed: 1,
      agents: 9,
      messagesPerAgent: 100,
      target: cramped(45),
    });
    expect(report.metrics.rejected).toBeGreaterThan(800);
    expect(report.metrics.rejected_by_chaos).toBe(0);
    expect(report.metrics.rejected_rate).toBeGreaterThan(0.5);
    expect(report.ok).toBe(false);
    const verdict = report.metrics.thresholds.find((t) => t.metric === 'rejected_rate');
    expect(verdict).toMatchObject({ ok: false, expression: '<= 0.05' });
    expect(verdict?.reason).toMatch(
      /^\d+ of 900 units refused at enqueue by a running target; this is the default limit/,
    );
    expect(report.failures.join('\n')).toContain("thresholds: { rejected_rate: '<= 1' }");
  });

  it('passes the same run once the test relaxes the limit', async () => {
    const report = await runStress({
      seed: 1,
      agents: 9,
      messagesPerAgent: 100,
      target: cramped(45),
      thresholds: { rejected_rate: '<= 1' },
    });
    expect(report.ok).toBe(true);
    expect(report.metrics.thresholds).toEqual([
      expect.objectContaining({ metric: 'rejected_rate', ok: true }),
    ]);
  });

  it('fails a target whose every enqueue throws', async () => {
    const report = await runStress({
      seed: 1,
      agents: 2,
      messagesPerAgent: 10,
      target: () => ({
        enqueue() {
          throw new StressError('ERR_QUEUE_CLOSED', 'closed for good');
        },
        whenIdle: async () => {},
        inspect: () => ({ pending: 0, processing: 0 }),
        close: async () => {},
      }),
    });
    expect(report.metrics.rejected_rate).toBe(1);
    expect(report.ok).toBe(false);
  });

  it('does not blame the target for refusals while the chaos held it crashed', async () => {
    const report = await runStress({ seed: 5, chaos: 'harsh' });
    expect(report.metrics.rejected).toBeGreaterThan(0);
    expect(report.metrics.rejected_by_chaos).toBe(report.metrics.rejected);
    expect(report.metrics.rejected_rate).toBe(0);
    expect(report.ok).toBe(true);
  });

  it('fails a threshold with no samples by default, and skips it when asked (as generated property cases do)', async () => {
    const refuseAll: StressTargetFactory = () => ({
      enqueue() {
        throw new StressError('ERR_QUEUE_FULL', 'full');
      },
      whenIdle: async () => {},
      inspect: () => ({ pending: 0, processing: 0 }),
      close: async () => {},
    });
    const options = {
      seed: 1,
      agents: 2,
      messagesPerAgent: 5,
      target: refuseAll,
      thresholds: { success_rate: '>= 0.5', rejected_rate: '<= 1' },
    };
    const strict = await runStress(options);
    expect(strict.metrics.success_rate).toBeNull();
    expect(strict.ok).toBe(false);
    expect(strict.failures).toEqual([expect.stringContaining('has no samples (null), so it cannot pass')]);
    const lenient = await runStress({ ...options, thresholdsWithoutSamples: 'skip' });
    expect(lenient.ok).toBe(true);
    expect(lenient.metrics.thresholds[0]).toMatchObject({ metric: 'success_rate', ok: true, value: null });
    expect(lenient.metrics.thresholds[0]?.reason).toContain('not judged');
    await expect(async () =>
      runStress({ ...options, thresholdsWithoutSamples: 'maybe' as never }),
    ).rejects.toThrow(/`thresholdsWithoutSamples` to be "fail" or "skip"/);
  });
});
