import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as root from '../src/index.ts';
import { runStress as nodeRunStress } from '../src/reference/run-stress.ts';
import * as vitestEntry from '../src/vitest/index.ts';

// The runtime names of each entry point, pinned: a name added or dropped is a public API change and must show
// up in review (and in docs/USAGE.md "Public API").
const ROOT_NAMES = [
  'BROADCAST_RECIPIENT',
  'CHAOS_KINDS',
  'CHAOS_PRESET_NAMES',
  'DEFAULT_THRESHOLDS',
  'DURABLE_ON_RETURN',
  'FileQueueStore',
  'IsolationViolation',
  'MESSAGE_PRIORITIES',
  'MESSAGE_TAGS',
  'MESSAGE_TYPES',
  'MemoryQueueStore',
  'MessageQueue',
  'MessageQueueProcessor',
  'MockMessagingCore',
  'PARTICIPANT_KINDS',
  'RUN_METRICS_SCHEMA',
  'RUN_METRICS_VERSION',
  'RealClock',
  'StressError',
  'StressProgressEvent',
  'StressRunner',
  'VirtualClock',
  'arrivalModel',
  'assertRunMetricsFile',
  'chaosInRun',
  'chaosPreset',
  'chaosSchedule',
  'checkStressProperty',
  'compareMetricsRuns',
  'createReferenceTarget',
  'createStressRunner',
  'isBroadcast',
  'isIsolationViolation',
  'isSafeAgentId',
  'listMetricPaths',
  'messageMix',
  'parseThreshold',
  'readRunMetricsFile',
  'runStress',
  'stressProperty',
  'validateIntegration',
  'validateMessage',
  'validateQueueBehavior',
  'validateRunMetricsFile',
  'workloadOptions',
];

const VITEST_NAMES = [
  'STRESS_ENVIRONMENT_KEY',
  'STRESS_PROVIDE_KEY',
  'chaosEvent',
  'chaosInRun',
  'chaosSchedule',
  'currentProjectOptions',
  'defineStressProject',
  'fc',
  'getStressEnvironment',
  'messageMix',
  'stressMatchers',
  'stressPlugin',
  'stressTest',
  'workloadOptions',
];

describe('the root entry `vitest-stress`', () => {
  it('is an explicit list of names, not whole layers re-exported', () => {
    const source = readFileSync(new URL('../src/index.ts', import.meta.url), 'utf8');
    expect(source).not.toMatch(/^export \*/m);
  });

  it('exports exactly the curated names', () => {
    expect(Object.keys(root).sort()).toEqual(ROOT_NAMES);
  });

  it("has one runStress, Node's (the reference target by default), not the engine's target-only form", () => {
    expect(root.runStress).toBe(nodeRunStress);
  });

  it('leaves out real delivery and the internals users have no use for', () => {
    for (const name of [
      'InboxMessagingCore',
      'readInbox',
      'ATOMIC_TEMP_SUFFIX',
      'REFERENCE_STORE_TEMP_PREFIX',
      'installIsolationGuard',
      'createPathPolicy',
      'internalError',
      'resolveStressOptions',
      'DeliveryLedger',
    ]) {
      expect(Object.keys(root)).not.toContain(name);
    }
  });

  it('runs a chaos property outside Vitest: a correct target passes, a lossy one fails with a replay', async () => {
    const passing = root.stressProperty({
      target: root.createReferenceTarget(),
      workload: root.workloadOptions({ maxAgents: 3, maxDeliveries: 60 }),
      chaos: root.chaosSchedule({ kinds: ['delivery_failure'] }),
    });
    const ok = await root.checkStressProperty(passing, { seed: 11, numRuns: 5 });
    expect(ok).toMatchObject({ ok: true, numRuns: 5, failure: null });

    const lossy = root.stressProperty({
      target: () => ({
        enqueue() {
          // Accepts every message and delivers none: the ledger must call them lost.
        },
        whenIdle: async () => {},
        inspect: () => ({ pending: 0, processing: 0 }),
        close: async () => {},
      }),
      workload: root.workloadOptions({ maxAgents: 2, maxDeliveries: 10 }),
    });
    const failed = await root.checkStressProperty(lossy, { seed: 11, numRuns: 5 });
    expect(failed.ok).toBe(false);
    expect(failed.failure?.replay).toMatchObject({ seed: 11, endOnFailure: true });
    expect(failed.failure?.failures.join('\n')).toMatch(/lost/);
  });
});

describe('the Vitest entry `vitest-stress/vitest`', () => {
  it('exports exactly the curated names', () => {
    expect(Object.keys(vitestEntry).sort()).toEqual(VITEST_NAMES);
  });
});
