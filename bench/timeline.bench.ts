import { createRingTarget } from '../fixtures/targets/ring-target.ts';
import { TimelineRecorder } from '../src/engine/metrics/timeline-recorder.ts';
import { runStress } from '../src/engine/runner/stress-runner.ts';
import type { BenchResult } from './bench-result.ts';

// What the run timeline costs: the recorder calls a delivery makes (one send, one first delivery with its
// latency, a depth sample per batch of 1000, a failure in 3 %), timed alone over 1M deliveries, against the
// engine's own per-delivery time on the 1M ring-target run measured in this process (timeline included).
// Memory: the recorder's heap after 1M and after 10M deliveries, to show it does not grow with run length.
const DELIVERIES = 1_000_000;
const gc = (globalThis as { gc?: () => void }).gc;

function feed(recorder: TimelineRecorder, deliveries: number, spanMs: number): void {
  const step = spanMs / deliveries;
  for (let i = 0; i < deliveries; i++) {
    const at = i * step;
    recorder.sent(at);
    recorder.delivered(at, 500 + (i % 997));
    if (i % 33 === 0) recorder.failed(at, `Agent-${i % 10}`);
    if (i % 1000 === 0) recorder.depth(i % 50, at);
  }
}

function nsPerDelivery(): number {
  const recorder = new TimelineRecorder({ plannedMs: 1000 });
  const started = performance.now();
  feed(recorder, DELIVERIES, 1000);
  recorder.snapshot();
  return ((performance.now() - started) * 1e6) / DELIVERIES;
}

const memory = (): number => {
  const usage = process.memoryUsage();
  return usage.heapUsed + usage.arrayBuffers;
};

function retained(deliveries: number): number {
  gc?.();
  gc?.();
  const before = memory();
  const recorder = new TimelineRecorder({ plannedMs: 1000 });
  feed(recorder, deliveries, deliveries / 1000);
  gc?.();
  const after = memory();
  // Keeps the recorder alive across the measurement.
  if (recorder.snapshot().intervals.length > recorder.maxIntervals) throw new Error('unbounded timeline');
  return after - before;
}

/** Measures the timeline figures; prints nothing (bench/index.ts prints). */
export async function run(): Promise<BenchResult[]> {
  nsPerDelivery();
  const rounds = [nsPerDelivery(), nsPerDelivery(), nsPerDelivery()].sort((a, b) => a - b);
  const timelineNs = rounds[1]!;
  const started = performance.now();
  const report = await runStress({
    target: createRingTarget(4),
    agents: 10,
    messagesPerAgent: 100_000,
    arrival: { kind: 'burst', size: 1000, gapMs: 1 },
    core: { latency: { kind: 'none' } },
  });
  const engineNs = ((performance.now() - started) * 1e6) / report.metrics.total_processed;
  const kb = (bytes: number): number => Math.round(bytes / 102.4) / 10;
  return [
    {
      name: 'timeline recorder per delivery (send + delivery + 3 % failures + depth per 1000)',
      value: timelineNs,
      unit: 'ns',
      baseline: { name: 'engine per delivery, 1M ring-target run (timeline included)', value: engineNs },
      target: '<= 0.10 of the engine',
    },
    { name: 'timeline memory after 1M deliveries', value: kb(retained(1_000_000)), unit: 'KB' },
    {
      name: 'timeline memory after 10M deliveries',
      value: kb(retained(10_000_000)),
      unit: 'KB',
      note: 'constant in run length: the width doubles, the interval count stays <= 60',
    },
  ];
}
