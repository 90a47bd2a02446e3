import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { DeliveryVerdict } from '../../../src/engine/ledger/delivery-ledger.ts';
import { mergeSnapshots } from '../../../src/engine/metrics/merge-snapshots.ts';
import { MetricsCollector } from '../../../src/engine/metrics/metrics-collector.ts';
import type { MetricsSnapshot } from '../../../src/engine/metrics/metrics-snapshot.ts';
import { summarizeSnapshot } from '../../../src/engine/metrics/summarize-snapshot.ts';
import type { DeliveryEvent } from '../../../src/engine/mock-core/delivery-sink.ts';
import { MESSAGE_TYPES, StressError } from '../../../src/protocol/index.ts';
import { AGENTS, attempt, message } from '../ledger/delivery-history.ts';
import { recordSampleRun } from './metrics-fixture.ts';

type Recorded = { event: DeliveryEvent; verdict: DeliveryVerdict };

const recordedEvent = fc
  .record({
    index: fc.nat({ max: 1000 }),
    agent: fc.constantFrom(...AGENTS),
    type: fc.constantFrom(...MESSAGE_TYPES),
    createdAt: fc.integer({ min: 0, max: 10_000 }),
    waitUs: fc.integer({ min: 0, max: 5_000_000 }),
    serviceUs: fc.integer({ min: 0, max: 100_000 }),
    outcome: fc.constantFrom('delivered', 'failed', 'hung', 'delivered_reported_failed'),
    verdict: fc.constantFrom('first', 'first', 'duplicate', 'not_reached'),
  })
  .map(
    (r): Recorded => ({
      event: attempt(message(r.index, { recipient: r.agent, type: r.type, createdAt: r.createdAt }), {
        startedAt: r.createdAt + r.waitUs / 1000,
        serviceMs: r.serviceUs / 1000,
        outcome: r.outcome as DeliveryEvent['outcome'],
      }),
      verdict: r.verdict as DeliveryVerdict,
    }),
  );

function snapshotOf(events: readonly Recorded[], durationMs: number, delivered: number): MetricsSnapshot {
  const collector = new MetricsCollector({ agents: AGENTS });
  for (const { event, verdict } of events) collector.recordDelivery(event, verdict);
  collector.recordChaos('crash', events.length);
  return collector.snapshot({
    durationMs,
    units: { sent: delivered + 3, rejected: 2, rejected_by_chaos: 1, delivered, dead_lettered: 1, lost: 0 },
  });
}

describe('mergeSnapshots', () => {
  it('merging snapshots of a split stream equals the snapshot of the whole stream', () => {
    fc.assert(
      fc.property(fc.array(recordedEvent, { maxLength: 120 }), fc.nat(), (events, cut) => {
        const at = cut % (events.length + 1);
        const merged = mergeSnapshots(
          snapshotOf(events.slice(0, at), 100, at),
          snapshotOf(events.slice(at), 50, 7),
        );
        const whole = snapshotOf(events, 150, at + 7);
        expect(merged).toEqual({
          ...whole,
          units: {
            ...whole.units,
            sent: whole.units.sent + 3,
            rejected: 4,
            rejected_by_chaos: 2,
            dead_lettered: 2,
          },
        });
        expect(summarizeSnapshot(merged).latency_stats).toEqual(summarizeSnapshot(whole).latency_stats);
      }),
      // Each run encodes and decodes some 60 histograms; 30 runs keep the test near a second.
      { numRuns: 30 },
    );
  });

  it('adds durations and counters, takes the max of maxima and recomputes rates', () => {
    const { snapshot } = recordSampleRun();
    const twice = mergeSnapshots(snapshot, snapshot);
    expect(twice.duration_ms).toBe(2 * snapshot.duration_ms);
    expect(twice.units.delivered).toBe(2 * snapshot.units.delivered);
    expect(twice.queue_depth.max).toBe(snapshot.queue_depth.max);
    expect(twice.chaos).toEqual({ core_failure: 2, slow_delivery: 4 });
    const [one, two] = [summarizeSnapshot(snapshot), summarizeSnapshot(twice)];
    expect(two.success_rate).toBe(one.success_rate);
    expect(two.throughput).toBe(one.throughput);
    expect(two.latency_stats.count).toBe(2 * one.latency_stats.count);
    expect(two.latency_stats.p95_ms).toBe(one.latency_stats.p95_ms);
    expect(mergeSnapshots(snapshot)).toEqual(snapshot);
  });

  it('rejects nothing to merge and snapshots of another version or shape', () => {
    const { snapshot } = recordSampleRun();
    const failure = (run: () => unknown) => {
      try {
        run();
      } catch (error) {
        return StressError.is(error, 'ERR_INVALID_SNAPSHOT') ? error.message : error;
      }
      return 'no error';
    };
    expect(failure(() => mergeSnapshots())).toMatch(/at least one metrics snapshot/);
    expect(failure(() => mergeSnapshots(snapshot, { ...snapshot, schema_version: 2 as 1 }))).toMatch(
      /Expected `snapshots\[1\]\.schema_version` to be 1/,
    );
    expect(
      failure(() => mergeSnapshots({ ...snapshot, attempts: { ...snapshot.attempts, hung: -1 } })),
    ).toMatch(/snapshots\[0\]\.attempts\.hung/);
    expect(failure(() => mergeSnapshots({ ...snapshot, by_agent: { a: 'x' as never } }))).toMatch(
      /snapshots\[0\]\.by_agent\.a/,
    );
    expect(
      failure(() => mergeSnapshots({ ...snapshot, latency: { ...snapshot.latency, hdr: '???' } })),
    ).toMatch(/`latency\[0\]` to be an encoded histogram/);
  });
});
