import { expect } from '@jest/globals';
import { stressTest, workloadOptions } from 'vitest-stress/jest';

// test/stress/chaos-property.stress.test.ts under Jest: generated mixes and chaos; STRESS_SEED replays it.
stressTest.chaos(
  'the reference processor delivers everything under generated chaos',
  {
    workload: workloadOptions({ maxAgents: 5, maxDeliveries: 150 }),
    numRuns: 20,
    settings: {
      thresholds: { 'invariants.lost': '== 0', success_rate: '>= 0', 'invariants.duplicated': '>= 0' },
    },
  },
  (report) => {
    expect(report.invariants.lost).toBe(0);
    expect(report.invariants.conservation.holds).toBe(true);
  },
);
