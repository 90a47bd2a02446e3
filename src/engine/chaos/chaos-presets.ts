import { invalidOption } from '../../protocol/index.ts';
import { DEFAULT_LATENCY, type LatencyModel } from '../mock-core/latency-model.ts';
import type { ChaosSchedule } from './chaos-schedule.ts';

/** Names of the built-in chaos presets. */
export const CHAOS_PRESET_NAMES = ['none', 'original', 'harsh'] as const;

/** One of {@link CHAOS_PRESET_NAMES}. */
export type ChaosPresetName = (typeof CHAOS_PRESET_NAMES)[number];

/** A named bundle of a chaos schedule and the mock core's base behaviour (JSON-plain). */
export interface ChaosPreset {
  readonly name: ChaosPresetName;
  readonly description: string;
  readonly schedule: ChaosSchedule;
  /** The mock core's `successRate`: ordinary failures, answered `false` after the latency. */
  readonly successRate: number;
  /** The mock core's base latency. */
  readonly latency: LatencyModel;
}

const PRESETS: Record<ChaosPresetName, ChaosPreset> = {
  none: {
    name: 'none',
    description: 'No faults: every delivery succeeds after the default latency.',
    schedule: { rates: {}, events: [] },
    successRate: 1,
    latency: DEFAULT_LATENCY,
  },
  // The original MockUnifiedMessagingCore in chaos mode, step by step: a 1% "chaos crash" answered False at
  // once (our `delivery_failure`, which skips the latency); a 1-10 ms uniform base latency; a 5% spike adding
  // uniform 0-500 ms; then success with probability 0.95 (our `successRate`). Delivered: 0.99 x 0.95 = 94.05%.
  original: {
    name: 'original',
    description:
      "The original system's chaos mode: 1% instant failures, 5% latency spikes of 0-500 ms, " +
      '1-10 ms base latency, 95% success otherwise (94.05% delivered overall).',
    schedule: {
      rates: { delivery_failure: 0.01, latency_spike: 0.05 },
      spike: { minMs: 0, maxMs: 500 },
      events: [],
    },
    successRate: 0.95,
    latency: { kind: 'uniform', minMs: 1, maxMs: 10 },
  },
  // Every fault kind at a rate high enough to strike hundreds of times in the default 900-delivery run, and
  // timed events inside its 4 s: the target needs delivery timeouts (hangs), dedupe-tolerant accounting
  // (duplicates) and crash recovery to pass.
  harsh: {
    name: 'harsh',
    description:
      'Every fault kind: failures, throws, hangs, duplicates, false failures, full and slow agents, ' +
      'latency spikes, store write failures, two crash/restarts and a saturation burst.',
    schedule: {
      rates: {
        agent_full: 0.02,
        delivery_failure: 0.03,
        throw: 0.02,
        hang: 0.005,
        delivered_reported_failed: 0.02,
        duplicate_delivery: 0.01,
        latency_spike: 0.05,
        agent_slow: 0.05,
        store_write_failure: 0.01,
      },
      spike: { minMs: 50, maxMs: 1000 },
      slow: { minMs: 20, maxMs: 200 },
      events: [
        { atMs: 500, kind: 'agent_full', agent: 'Agent-1', durationMs: 500 },
        { atMs: 1000, kind: 'crash_restart', durationMs: 100 },
        { atMs: 1500, kind: 'saturation_burst', count: 200 },
        { atMs: 2000, kind: 'latency_spike', durationMs: 250 },
        { atMs: 2500, kind: 'agent_slow', agent: 'Agent-2', durationMs: 1000 },
        { atMs: 3000, kind: 'crash_restart', durationMs: 250 },
        { atMs: 3200, kind: 'store_write_failure', durationMs: 50 },
      ],
    },
    successRate: 0.97,
    latency: { kind: 'lognormal', medianMs: 3, sigma: 0.75, capMs: 1000 },
  },
};

/** True when `name` names a built-in preset. */
export function isChaosPresetName(name: unknown): name is ChaosPresetName {
  return typeof name === 'string' && (CHAOS_PRESET_NAMES as readonly string[]).includes(name);
}

/** A fresh copy of a built-in preset (safe to modify); throws `ERR_INVALID_OPTION` for an unknown name. */
export function chaosPreset(name: string): ChaosPreset {
  if (!isChaosPresetName(name)) {
    throw invalidOption('chaos preset', `one of ${CHAOS_PRESET_NAMES.map((n) => `"${n}"`).join(', ')}`, name);
  }
  return JSON.parse(JSON.stringify(PRESETS[name])) as ChaosPreset;
}
