import type { RunTimeline } from '../engine/metrics/run-timeline.ts';
import { timelineSeries } from './timeline-series.ts';

const quote = (text: string): string => `"${text.replaceAll('"', "'")}"`;
// Seconds for runs with intervals of 100 ms or more, milliseconds below (a 5 ms run keeps its labels apart).
function timeFormat(widthMs: number): (ms: number) => string {
  return widthMs >= 100
    ? (ms) => `${Math.round(ms / 10) / 100}s`
    : (ms) => `${Math.round(ms * 1000) / 1000}ms`;
}

/**
 * Renders a run timeline as two Mermaid `xychart-beta` line charts (throughput and p95 latency over run time)
 * whose x labels name the chaos events starting in each interval, plus a line listing the chaos windows;
 * empty string for an empty timeline. Intervals without a delivery plot a p95 of 0.
 */
export function renderTimelineChart(title: string, timeline: RunTimeline): string {
  const s = timelineSeries(timeline);
  if (s.t.length === 0) return '';
  const format = timeFormat(timeline.width_ms);
  const labels = s.t.map((t, i) => {
    const starting = s.chaos.filter((e) => Math.floor(e.start_ms / timeline.width_ms) === i);
    const time = format(t * 1000);
    return quote(starting.length === 0 ? time : `${time} ${starting.map((e) => e.kind).join('+')}`);
  });
  const chart = (name: string, axis: string, values: readonly (number | null)[]): string[] => {
    const numbers = values.map((value) => value ?? 0);
    const top = Math.max(1, ...numbers);
    return [
      '```mermaid',
      'xychart-beta',
      `  title ${quote(`${title}: ${name}`)}`,
      `  x-axis [${labels.join(', ')}]`,
      `  y-axis ${quote(axis)} 0 --> ${Math.ceil(top * 1.1)}`,
      `  line [${numbers.join(', ')}]`,
      '```',
    ];
  };
  const windows = s.chaos.map(
    (e) => `${e.kind}${e.agent ? ` (${e.agent})` : ''} ${format(e.start_ms)}–${format(e.end_ms)}`,
  );
  return [
    ...chart('throughput over time', 'delivered units/s', s.throughput),
    '',
    ...chart('p95 latency over time', 'p95 latency (ms)', s.p95),
    '',
    windows.length === 0 ? 'No chaos windows.' : `Chaos windows: ${windows.join('; ')}.`,
  ].join('\n');
}
