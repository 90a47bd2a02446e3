import { describe, expect } from '@jest/globals';
import { stressTest } from 'vitest-stress/jest';

// test/stress/agent-count.stress.test.ts under Jest: the same tests, names and settings, so both runners write
// the same metrics (npm run stress:jest compares them). Jest has no describe-level fixture override, so the
// describe's settings are repeated on each of its tests.
describe('agent count', () => {
  stressTest('project default: 9 agents', async ({ stress }) => {
    const report = await stress.run({ messagesPerAgent: 20 });
    expect(report.metrics.run.agents).toBe(9);
    expect(report).toHaveDeliveredEverything();
  });

  stressTest('per-test override: 20 agents', { stress: { agents: 20 } }, async ({ stress }) => {
    expect(stress.settings.agents).toBe(20);
    const report = await stress.run({ messagesPerAgent: 50 });
    expect(Object.keys(report.metrics.by_agent)).toHaveLength(20);
    expect(report).toHaveDeliveredEverything();
    expect(report).toMeetThresholds();
  });

  describe('a describe block with 3 agents', () => {
    const describeSettings = { agents: 3, messagesPerAgent: 40 };

    stressTest('inherits the describe override', { stress: describeSettings }, async ({ stress }) => {
      const report = await stress.run();
      expect(report.metrics.run.agents).toBe(3);
      expect(report.metrics.total_processed).toBe(120);
    });

    stressTest(
      'a test override wins over the describe',
      { stress: { ...describeSettings, agents: 5 } },
      async ({ stress }) => {
        const report = await stress.run();
        expect(report.metrics.run).toMatchObject({ agents: 5, messages_per_agent: 40 });
      },
    );
  });
});
