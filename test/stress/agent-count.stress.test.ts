import { describe, expect } from 'vitest';
import { stressTest } from '../../src/vitest/index.ts';

// Settings layer as project defaults < stressTest.override({ stressConfig }) per describe < meta.stress per test.
describe('agent count', () => {
  stressTest('project default: 9 agents', async ({ stress }) => {
    const report = await stress.run({ messagesPerAgent: 20 });
    expect(report.metrics.run.agents).toBe(9);
    expect(report).toHaveDeliveredEverything();
  });

  stressTest('per-test override: 20 agents', { meta: { stress: { agents: 20 } } }, async ({ stress }) => {
    expect(stress.settings.agents).toBe(20);
    const report = await stress.run({ messagesPerAgent: 50 });
    expect(Object.keys(report.metrics.by_agent)).toHaveLength(20);
    expect(report).toHaveDeliveredEverything();
    expect(report).toMeetThresholds();
  });

  describe('a describe block with 3 agents', () => {
    stressTest.override({ stressConfig: { agents: 3, messagesPerAgent: 40 } });

    stressTest('inherits the describe override', async ({ stress }) => {
      const report = await stress.run();
      expect(report.metrics.run.agents).toBe(3);
      expect(report.metrics.total_processed).toBe(120);
    });

    stressTest(
      'a test override wins over the describe',
      { meta: { stress: { agents: 5 } } },
      async ({ stress }) => {
        const report = await stress.run();
        expect(report.metrics.run).toMatchObject({ agents: 5, messages_per_agent: 40 });
      },
    );
  });
});
