import { LatencyHistogram } from './latency-histogram.ts';
import { type LatencyStats, summarizeLatency } from './latency-stats.ts';
import type { MetricsSummary } from './metrics-report.ts';
import type { MetricsSnapshot } from './metrics-snapshot.ts';

const statsOf = (encoded: MetricsSnapshot['latency'], field: string): LatencyStats =>
  summarizeLatency(LatencyHistogram.decode(encoded, field));

function mapValues<T, U>(
  record: Readonly<Record<string, T>>,
  map: (value: T, key: string) => U,
  rename = (k: string) => k,
) {
  const out: Record<string, U> = {};
  for (const [key, value] of Object.entries(record)) out[rename(key)] = map(value, key);
  return out;
}

const upper = (type: string): string => type.toUpperCase();

/**
 * Derives the report figures from a snapshot (one run's or a merge): success and failure counts, rate,
 * throughput over the simulated duration, latency statistics and the time-weighted queue depth.
 */
export function summarizeSnapshot(snapshot: MetricsSnapshot): MetricsSummary {
  const { units, attempts, queue_depth: depth } = snapshot;
  const failure = units.dead_lettered + units.lost;
  const processed = units.delivered + failure;
  const seconds = snapshot.duration_ms / 1000;
  const totalAttempts = Object.values(attempts).reduce((sum, n) => sum + n, 0);
  let mean: number | null = null;
  if (depth.span_ms > 0) mean = depth.weighted_sum / depth.span_ms;
  else if (depth.samples > 0) mean = depth.sum / depth.samples;
  return {
    total_processed: processed,
    success_count: units.delivered,
    failure_count: failure,
    success_rate: processed === 0 ? null : units.delivered / processed,
    rejected: units.rejected,
    rejected_by_chaos: units.rejected_by_chaos,
    rejected_rate: units.sent === 0 ? null : (units.rejected - units.rejected_by_chaos) / units.sent,
    duration: seconds,
    throughput: seconds === 0 ? null : units.delivered / seconds,
    by_message_type: mapValues(snapshot.by_type, (n) => n, upper),
    by_agent: { ...snapshot.by_agent },
    latency_stats: statsOf(snapshot.latency, 'latency'),
    latency_by_agent: mapValues(snapshot.latency_by_agent, (h, agent) =>
      statsOf(h, `latency_by_agent.${agent}`),
    ),
    latency_by_type: mapValues(
      snapshot.latency_by_type,
      (h, type) => statsOf(h, `latency_by_type.${type}`),
      upper,
    ),
    service_time_stats: statsOf(snapshot.service_time, 'service_time'),
    attempts: { ...attempts, total: totalAttempts },
    duplicate_deliveries: snapshot.duplicate_deliveries,
    retries: snapshot.retries,
    dead_lettered: units.dead_lettered,
    chaos: { ...snapshot.chaos },
    queue_depth: { max: depth.samples > 0 ? depth.max : null, mean, samples: depth.samples },
  };
}
