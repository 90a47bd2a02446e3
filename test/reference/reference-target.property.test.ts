import { describe, expect, it } from 'vitest';
import {
  chaosSchedule,
  checkStressProperty,
  stressProperty,
  workloadOptions,
} from '../../src/generators/index.ts';
import { createReferenceTarget } from '../../src/reference/reference-target.ts';

// The reference processor against generated chaos schedules, crash/restart included: whatever the schedule, no
// accepted message is lost, nothing is stuck and conservation holds. Duplicates are allowed (at-least-once).
describe('reference processor under generated chaos', () => {
  it.each([
    ['memory', 40],
    ['file', 12],
  ] as const)(
    'loses nothing on the %s store',
    async (store, numRuns) => {
      const property = stressProperty({
        target: createReferenceTarget({ store, deliveryTimeoutMs: 2_000 }),
        workload: workloadOptions({ maxAgents: 4, maxDeliveries: 120 }),
        chaos: chaosSchedule({ maxRate: 0.2, maxEvents: 3 }),
        requireOk: false,
        check: (report) => {
          const { lost, stuck, unexpected, conservation } = report.invariants;
          expect({ lost, stuck, unexpected, holds: conservation.holds }).toEqual({
            lost: 0,
            stuck: 0,
            unexpected: 0,
            holds: true,
          });
          expect(report.drain.status).toBe('drained');
        },
      });
      const result = await checkStressProperty(property, { seed: 20251128, numRuns });
      expect(result.failure ?? null).toBeNull();
      expect(result.numRuns).toBe(numRuns);
    },
    120_000,
  );
});
