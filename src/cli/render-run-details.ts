import type { MetricsReport } from '../engine/index.ts';

const ms = (value: number | null): string => (value === null ? '–' : String(Math.round(value * 100) / 100));
const seconds = (value: number): string => `${(Math.round(value * 100) / 100).toFixed(2)} s`;

/**
 * The lines `vitest-stress run` adds under the summary table for one run: clock and durations, the chaos
 * injected and what it caused, the latency spread and the replay command. Pure.
 */
export function renderRunDetails(report: MetricsReport): string {
  const { run, invariants: inv, latency_stats: l } = report;
  const chaos = Object.entries(report.chaos)
    .filter(([, count]) => count > 0)
    .map(([kind, count]) => `${kind} ${count}`);
  const lines = [
    `Run: seed ${run.seed}, ${run.clock} clock, ${inv.sent.toLocaleString('en-US')} delivery units in ` +
      `${seconds(report.duration)} ${run.clock === 'virtual' ? 'simulated' : 'of wall time'} (${seconds(run.wall_time_ms / 1000)} wall)`,
    `Chaos injected: ${chaos.length === 0 ? 'none' : chaos.join(', ')}; retries ${report.retries}, ` +
      `dead-lettered ${inv.dead_lettered}, duplicate deliveries ${inv.duplicate_deliveries}`,
    `Latency (ms): min ${ms(l.min_ms)}, avg ${ms(l.avg_ms)}, p50 ${ms(l.p50_ms)}, p95 ${ms(l.p95_ms)}, ` +
      `p99 ${ms(l.p99_ms)}, max ${ms(l.max_ms)}`,
  ];
  if (report.replay?.command !== undefined) lines.push(`Replay: ${report.replay.command}`);
  return `${lines.join('\n')}\n`;
}
