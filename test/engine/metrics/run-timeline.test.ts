import { describe, expect, it } from 'vitest';
import { createSimpleTarget } from '../../../fixtures/targets/simple-processor.ts';
import { LatencyHistogram } from '../../../src/engine/metrics/latency-histogram.ts';
import {
  mergeTimelines,
  type RunTimeline,
  timelineTotals,
} from '../../../src/engine/metrics/run-timeline.ts';
import { TimelineRecorder } from '../../../src/engine/metrics/timeline-recorder.ts';
import { runStress } from '../../../src/engine/runner/stress-runner.ts';
import { SeededRandom } from '../../../src/engine/workload/seeded-random.ts';

type Call = readonly [
  kind: 'sent' | 'delivered' | 'failed' | 'retried' | 'depth' | 'dup',
  at: number,
  value: number,
];

function randomCalls(seed: number, count: number, horizonMs: number): Call[] {
  const random = new SeededRandom(seed);
  const kinds = ['sent', 'delivered', 'failed', 'retried', 'depth', 'dup'] as const;
  return Array.from({ length: count }, () => {
    const kind = kinds[Math.floor(random.nextFloat() * kinds.length)]!;
    return [kind, random.nextFloat() * horizonMs, Math.floor(random.nextFloat() * 5000)] as const;
  });
}

function record(calls: readonly Call[], intervals = 16, plannedMs = 100): RunTimeline {
  const recorder = new TimelineRecorder({ intervals, plannedMs });
  for (const [kind, at, value] of calls) {
    if (kind === 'sent') recorder.sent(at);
    else if (kind === 'delivered') recorder.delivered(at, value);
    else if (kind === 'failed') recorder.failed(at, `Agent-${value % 3}`);
    else if (kind === 'retried') recorder.retried(at);
    else if (kind === 'dup') recorder.duplicate(at);
    else recorder.depth(value % 40, at);
  }
  return recorder.snapshot();
}

describe('TimelineRecorder', () => {
  it('keeps the interval count bounded by doubling the width, and loses no count doing so', () => {
    const calls = randomCalls(1, 5000, 100_000);
    const timeline = record(calls, 16, 100);
    expect(timeline.intervals.length).toBeLessThanOrEqual(16);
    expect(Math.log2(timeline.width_ms) % 1).toBe(0);
    expect(timeline.width_ms * 16).toBeGreaterThanOrEqual(Math.max(...calls.map((c) => c[1])));
    const totals = timelineTotals(timeline);
    const count = (kind: Call[0]) => calls.filter((c) => c[0] === kind).length;
    expect(totals.sent).toBe(count('sent'));
    expect(totals.delivered).toBe(count('delivered'));
    expect(totals.failed).toBe(count('failed'));
    expect(totals.retried).toBe(count('retried'));
    expect(totals.duplicates).toBe(count('dup'));
    expect(totals.depth_samples).toBe(count('depth'));
    const depths = calls.filter((c) => c[0] === 'depth').map((c) => c[2] % 40);
    expect(totals.depth_sum).toBe(depths.reduce((a, b) => a + b, 0));
    expect(Math.max(...timeline.intervals.map((i) => i.depth_max))).toBe(Math.max(...depths));
    const latency = new LatencyHistogram({ significantDigits: 2 });
    for (const interval of timeline.intervals) latency.add(LatencyHistogram.decode(interval.latency));
    expect(latency.count).toBe(count('delivered'));
    expect(latency.sumUs).toBe(calls.filter((c) => c[0] === 'delivered').reduce((a, c) => a + c[2], 0));
  });

  it('places each call in the interval of its time', () => {
    const recorder = new TimelineRecorder({ intervals: 10, plannedMs: 10 });
    expect(recorder.widthMs).toBe(1);
    recorder.sent(0.5);
    recorder.sent(3.2);
    recorder.depth(7, 3.9);
    recorder.depth(2, 3.1);
    const t = recorder.snapshot();
    expect(t.intervals.map((i) => i.sent)).toEqual([1, 0, 0, 1]);
    expect(t.intervals[3]).toMatchObject({ depth_min: 2, depth_max: 7, depth_sum: 9, depth_samples: 2 });
    recorder.sent(25);
    const wider = recorder.snapshot();
    expect(wider.width_ms).toBe(4);
    expect(wider.intervals.map((i) => i.sent)).toEqual([2, 0, 0, 0, 0, 0, 1]);
    expect(wider.intervals[0]).toMatchObject({ depth_min: 2, depth_max: 7 });
  });

  it('rejects a bad interval count with a coded error', () => {
    expect(() => new TimelineRecorder({ intervals: 1 })).toThrow(/timeline.intervals/);
    expect(() => new TimelineRecorder({ intervals: 2.5 })).toThrow(/an integer from 2 to 10000/);
  });
});

describe('mergeTimelines', () => {
  it('equals the timeline of the merged run: shards recorded apart merge to one recorded together', () => {
    for (const seed of [1, 2, 3]) {
      const a = randomCalls(seed, 800, 300);
      const b = randomCalls(seed + 100, 800, 9000);
      const merged = mergeTimelines(record(a), record(b));
      expect(merged).toEqual(record([...a, ...b]));
      expect(mergeTimelines(record(b), record(a)).intervals).toEqual(merged.intervals);
    }
  });

  it('is told apart from a wrong merge (a dropped call shows)', () => {
    const a = randomCalls(5, 300, 300);
    const b = randomCalls(6, 300, 300);
    expect(mergeTimelines(record(a), record(b))).not.toEqual(record([...a, ...b.slice(1)]));
  });

  it('refuses a timeline of another version', () => {
    const t = record(randomCalls(1, 10, 10));
    expect(() => mergeTimelines(t, { ...t, version: 2 as 1 })).toThrow(/version 1/);
  });
});

describe('the run timeline of a real chaos run', () => {
  it('sums over intervals to the run totals exactly and places the chaos events on the clock', async () => {
    const report = await runStress({ target: createSimpleTarget(), chaos: 'harsh', seed: 4, agents: 4 });
    const timeline = report.metrics.timeline!;
    const totals = timelineTotals(timeline);
    const m = report.metrics;
    const inv = report.invariants;
    expect(timeline.intervals.length).toBeLessThanOrEqual(60);
    expect(totals.sent).toBe(inv.sent);
    expect(totals.delivered).toBe(inv.delivered);
    expect(totals.rejected).toBe(inv.rejected);
    expect(totals.retried).toBe(m.retries);
    expect(totals.duplicates).toBe(m.duplicate_deliveries);
    expect(totals.failed).toBe(m.attempts.total - m.attempts.delivered);
    expect(totals.failed).toBeGreaterThan(0);
    expect(totals.depth_samples).toBe(m.queue_depth.samples);
    expect(Math.max(...timeline.intervals.map((i) => i.depth_max))).toBe(m.queue_depth.max);
    const failedByAgent = timeline.intervals.flatMap((i) => Object.values(i.failed_by_agent));
    expect(failedByAgent.reduce((a, b) => a + b, 0)).toBe(totals.failed);
    const latency = new LatencyHistogram({ significantDigits: 2 });
    for (const interval of timeline.intervals) latency.add(LatencyHistogram.decode(interval.latency));
    expect(latency.count).toBe(m.latency_stats.count);
    expect(latency.sumUs).toBe(report.snapshot.latency.sum_us);
    expect(timeline.chaos_events.map((e) => [e.kind, e.start_ms])).toEqual(
      [
        ['agent_full', 500],
        ['crash_restart', 1000],
        ['saturation_burst', 1500],
        ['latency_spike', 2000],
        ['agent_slow', 2500],
        ['crash_restart', 3000],
        ['store_write_failure', 3200],
      ].filter(([, at]) => (at as number) <= m.duration * 1000),
    );
    expect(timeline.chaos_events[0]).toMatchObject({ end_ms: 1000, agent: 'Agent-1' });
  });

  it('is the same for the same seed', async () => {
    const options = { target: createSimpleTarget(), chaos: 'original' as const, seed: 9, agents: 3 };
    const [a, b] = [await runStress(options), await runStress(options)];
    expect(a.metrics.timeline).toEqual(b.metrics.timeline);
  });
});
