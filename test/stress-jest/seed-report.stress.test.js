import { describe, expect } from '@jest/globals';
import { stressTest } from 'vitest-stress/jest';

// test/stress/seed-report.stress.test.ts under Jest: the original system's three runs.
describe('seed report', () => {
  stressTest('standard: 9 agents x 100 messages', async ({ stress }) => {
    const report = await stress.run();
    expect(report).toHaveDeliveredEverything();
    expect(report).toMeetThresholds();
    const agents = Array.from({ length: 9 }, (_, i) => [`Agent-${i + 1}`, 100]);
    expect(report.metrics.by_agent).toEqual(Object.fromEntries(agents));
  });

  stressTest(
    'chaos mode: the original chaos preset',
    {
      stress: {
        chaos: 'original',
        thresholds: { success_rate: '>= 0.99', 'invariants.lost': '== 0', 'latency_stats.p50_ms': '< 100' },
      },
    },
    async ({ stress }) => {
      const report = await stress.run();
      expect(report.metrics.chaos.delivery_failure).toBeGreaterThan(0);
      expect(report.metrics.retries).toBeGreaterThan(0);
      expect(report).toHaveDeliveredEverything();
      expect(report).toMeetThresholds();
    },
  );

  stressTest(
    'high load: 9 agents x 1,000 messages',
    { stress: { messagesPerAgent: 1000 } },
    async ({ stress }) => {
      const report = await stress.run();
      expect(report.metrics.total_processed).toBe(9000);
      expect(report).toHaveDeliveredEverything();
      expect(report).toMeetThresholds({ success_rate: '== 1', 'latency_stats.p99_ms': '< 10' });
    },
  );
});
