import type { LatencyStats } from '../engine/metrics/latency-stats.ts';
import { PERCENTILES } from './summary-figures.ts';

const quote = (text: string): string => `"${text.replaceAll('"', "'")}"`;

/**
 * Renders a Mermaid `xychart-beta` bar chart of latency percentiles (p50 to max, in ms) as a fenced block
 * that GitHub renders; empty string when nothing was recorded.
 */
export function renderLatencyChart(title: string, stats: LatencyStats): string {
  const points = PERCENTILES.map(({ label, key }) => ({ label, value: stats[key] }));
  if (stats.count === 0 || points.some((point) => point.value === null)) return '';
  const values = points.map((point) => Math.round((point.value as number) * 100) / 100);
  const top = Math.max(...values);
  return [
    '```mermaid',
    'xychart-beta',
    `  title ${quote(title)}`,
    `  x-axis [${points.map((point) => quote(point.label)).join(', ')}]`,
    `  y-axis "latency (ms)" 0 --> ${Math.ceil(top * 1.1) || 1}`,
    `  bar [${values.join(', ')}]`,
    '```',
  ].join('\n');
}
