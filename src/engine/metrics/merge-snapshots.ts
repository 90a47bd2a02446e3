import { StressError } from '../../protocol/index.ts';
import { type EncodedHistogram, LatencyHistogram } from './latency-histogram.ts';
import {
  type AttemptCounts,
  assertMetricsSnapshot,
  METRICS_SNAPSHOT_VERSION,
  type MetricsSnapshot,
  type QueueDepthTotals,
  type UnitTotals,
} from './metrics-snapshot.ts';

function sumFields<T extends object>(items: readonly T[]): T {
  const total: Record<string, number> = {};
  for (const item of items) {
    for (const [key, value] of Object.entries(item)) total[key] = (total[key] ?? 0) + (value as number);
  }
  return total as T;
}

function mergeHistograms(encoded: readonly EncodedHistogram[], field: string): EncodedHistogram {
  const [first, ...rest] = encoded.map((item, i) => LatencyHistogram.decode(item, `${field}[${i}]`));
  for (const histogram of rest) first!.add(histogram);
  return first!.encode();
}

function mergeHistogramMaps(
  maps: readonly Readonly<Record<string, EncodedHistogram>>[],
  field: string,
): Record<string, EncodedHistogram> {
  const byKey = new Map<string, EncodedHistogram[]>();
  for (const map of maps) {
    for (const [key, histogram] of Object.entries(map)) {
      const list = byKey.get(key);
      if (list === undefined) byKey.set(key, [histogram]);
      else list.push(histogram);
    }
  }
  const merged: Record<string, EncodedHistogram> = {};
  for (const [key, list] of byKey) merged[key] = mergeHistograms(list, `${field}.${key}`);
  return merged;
}

function sortedKeys<T>(record: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/**
 * Merges snapshots of separate runs into one, exactly: counters and durations add up (runs are taken to have
 * run one after another, so throughput stays delivered / total time), maxima take the max, histograms add
 * their counts, so percentiles of the merge equal those of one run over all the samples. Keys keep their
 * first-seen order, except `chaos`, which is sorted.
 */
export function mergeSnapshots(...snapshots: readonly MetricsSnapshot[]): MetricsSnapshot {
  if (snapshots.length === 0) {
    throw new StressError(
      'ERR_INVALID_SNAPSHOT',
      'Expected at least one metrics snapshot to merge, got none.',
    );
  }
  snapshots.forEach((snapshot, i) => {
    assertMetricsSnapshot(snapshot, `snapshots[${i}]`);
  });
  const depths = snapshots.map((s) => s.queue_depth);
  const queueDepth: QueueDepthTotals = {
    ...sumFields(depths),
    max: Math.max(...depths.map((depth) => depth.max)),
  };
  return {
    schema_version: METRICS_SNAPSHOT_VERSION,
    duration_ms: snapshots.reduce((total, s) => total + s.duration_ms, 0),
    units: sumFields<UnitTotals>(snapshots.map((s) => s.units)),
    attempts: sumFields<AttemptCounts>(snapshots.map((s) => s.attempts)),
    duplicate_deliveries: snapshots.reduce((total, s) => total + s.duplicate_deliveries, 0),
    retries: snapshots.reduce((total, s) => total + s.retries, 0),
    chaos: sortedKeys(sumFields(snapshots.map((s) => s.chaos))),
    queue_depth: queueDepth,
    by_agent: sumFields(snapshots.map((s) => s.by_agent)),
    by_type: sumFields(snapshots.map((s) => s.by_type)),
    latency: mergeHistograms(
      snapshots.map((s) => s.latency),
      'latency',
    ),
    latency_by_agent: mergeHistogramMaps(
      snapshots.map((s) => s.latency_by_agent),
      'latency_by_agent',
    ),
    latency_by_type: mergeHistogramMaps(
      snapshots.map((s) => s.latency_by_type),
      'latency_by_type',
    ),
    service_time: mergeHistograms(
      snapshots.map((s) => s.service_time),
      'service_time',
    ),
  };
}
