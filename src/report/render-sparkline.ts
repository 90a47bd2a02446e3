import type { RunTimeline } from '../engine/metrics/run-timeline.ts';
import { timelineSeries } from './timeline-series.ts';

const BLOCKS = '▁▂▃▄▅▆▇█';

/** Options of {@link renderSparkline}. */
export interface SparklineOptions {
  /** Highlight the intervals with chaos; false gives plain text (the same characters). @default false */
  readonly color?: boolean;
  /** Wraps a character of an interval with chaos in it (e.g. chalk.magenta). @default identity */
  readonly highlight?: (text: string) => string;
}

/** One block character per value, scaled from 0 to the largest; a missing value is a space. */
export function sparkline(values: readonly (number | null)[]): string {
  const ramp = BLOCKS;
  const top = Math.max(0, ...values.map((value) => value ?? 0));
  return values
    .map((value) => {
      if (value === null) return ' ';
      if (top === 0) return ramp[0];
      return ramp[Math.min(ramp.length - 1, Math.floor((value / top) * (ramp.length - 1) + 0.5))];
    })
    .join('');
}

/**
 * Renders throughput and p95 latency of a run timeline as two sparklines with their peaks, e.g.
 * `units/s ▁▃▇█▆▂ max 210.5` and `p95 ms ▁▁▂█▃▁ max 48.1`; intervals with chaos are highlighted in colour.
 */
export function renderSparkline(timeline: RunTimeline, options: SparklineOptions = {}): string[] {
  const s = timelineSeries(timeline);
  if (s.t.length === 0) return [];
  const color = options.color ?? false;
  const highlight = options.highlight ?? ((text: string) => text);
  const chaotic = s.t.map((_, i) =>
    s.chaos.some(
      (e) =>
        e.start_ms < (i + 1) * timeline.width_ms &&
        Math.max(e.end_ms, e.start_ms + 1e-9) > i * timeline.width_ms,
    ),
  );
  const paint = (line: string): string =>
    color ? [...line].map((ch, i) => (chaotic[i] ? highlight(ch) : ch)).join('') : line;
  const peak = (values: readonly (number | null)[]): string =>
    String(Math.round(Math.max(0, ...values.map((value) => value ?? 0)) * 10) / 10);
  const end = Math.round(s.t.length * s.widthS * 100) / 100;
  return [
    `units/s ${paint(sparkline(s.throughput))} max ${peak(s.throughput)}`,
    `p95 ms  ${paint(sparkline(s.p95))} max ${peak(s.p95)}  (0–${end} s${s.chaos.length > 0 ? `, ${s.chaos.length} chaos event(s)` : ''})`,
  ];
}
