import { expect } from 'vitest';
import { stressTest, workloadOptions } from '../../src/vitest/index.ts';

// Generated message mixes and chaos schedules; STRESS_NUM_RUNS and STRESS_SEED tune and replay it.
// Every chaos kind, hangs and crash/restart included; timed events fall within each case's own run (the default).
stressTest.chaos(
  'the reference processor delivers everything under generated chaos',
  {
    workload: workloadOptions({ maxAgents: 5, maxDeliveries: 150 }),
    numRuns: 20,
    // Thresholds layer over the project's (success_rate >= 0.99, no duplicates, for plain runs). Under generated
    // chaos a correct processor may dead-letter what failed every attempt, and at least once allows the duplicates
    // the chaos provokes; loss stays forbidden.
    settings: {
      thresholds: { 'invariants.lost': '== 0', success_rate: '>= 0', 'invariants.duplicated': '>= 0' },
    },
  },
  (report) => {
    expect(report.invariants.lost).toBe(0);
    expect(report.invariants.conservation.holds).toBe(true);
  },
);
