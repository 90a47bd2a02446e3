import { describe, expect, it } from 'vitest';
import { TimelineRecorder } from '../../src/engine/metrics/timeline-recorder.ts';
import { renderSparkline, renderTimelineChart, sparkline } from '../../src/report/index.ts';

function story() {
  const recorder = new TimelineRecorder({ intervals: 8, plannedMs: 8 });
  for (let t = 0; t < 8; t++) {
    for (let n = 0; n < (t === 3 ? 1 : 4); n++) recorder.delivered(t + 0.5, t === 3 ? 90_000 : 1000);
  }
  recorder.chaosEvent('crash_restart', 3, 4.5);
  return recorder.snapshot();
}

describe('sparkline', () => {
  it('scales values from the lowest to the highest block, a gap for a missing value', () => {
    expect(sparkline([0, 5, 10, null])).toBe('▁▅█ ');
    expect(sparkline([0, 10])).toBe('▁█');
    expect(sparkline([3, 3, null])).toBe('██ ');
    expect(sparkline([0, 0])).toBe('▁▁');
  });
});

describe('renderSparkline', () => {
  it('shows the dip in throughput and the p95 peak where the crash is, and highlights the chaos intervals', () => {
    const [throughput, p95] = renderSparkline(story());
    // 1000/s against a 4000/s peak: a quarter of the ramp.
    expect(throughput).toBe('units/s ███▃████ max 4000');
    expect(p95).toMatch(/^p95 ms {2}▁▁▁█▁▁▁▁ max 90/);
    const colored = renderSparkline(story(), { color: true, highlight: (text) => `[${text}]` });
    expect(colored[0]).toBe('units/s ███[▃][█]███ max 4000');
  });
});

describe('renderTimelineChart', () => {
  it('draws throughput and p95 as Mermaid lines and names the chaos window at its interval', () => {
    const md = renderTimelineChart('t', story());
    expect(md.match(/```mermaid\nxychart-beta/g)).toHaveLength(2);
    expect(md).toContain('x-axis ["0ms", "1ms", "2ms", "3ms crash_restart", "4ms", "5ms", "6ms", "7ms"]');
    expect(md).toContain('line [4000, 4000, 4000, 1000, 4000, 4000, 4000, 4000]');
    expect(md).toContain('line [1, 1, 1, 90, 1, 1, 1, 1]');
    expect(md).toContain('Chaos windows: crash_restart 3ms–4.5ms.');
  });
});
