import { type Clock, invalidOption, type JsonObject, type MessagingCore } from '../../protocol/index.ts';
import type { ChaosInjector } from '../chaos/chaos-injector.ts';
import { type ChaosPresetName, chaosPreset, isChaosPresetName } from '../chaos/chaos-presets.ts';
import type { ChaosSchedule } from '../chaos/chaos-schedule.ts';
import { validateChaosSchedule } from '../chaos/validate-chaos-schedule.ts';
import type { YieldFunction } from '../clock/run-until.ts';
import type { DeliveryProfile } from '../ledger/delivery-ledger-options.ts';
import {
  DEFAULT_THRESHOLDS,
  parseThresholds,
  type ThresholdSpec,
  type ThresholdsWithoutSamples,
} from '../metrics/threshold.ts';
import type { DeliverySink } from '../mock-core/delivery-sink.ts';
import { type LatencyModel, resolveLatencyModel } from '../mock-core/latency-model.ts';
import type { MockAgentOptions } from '../mock-core/mock-messaging-core-options.ts';
import { isValidSeed, type SeededRandom } from '../workload/seeded-random.ts';
import type { WorkloadOptions } from '../workload/workload-options.ts';
import type { StressTarget, StressTargetFactory } from './stress-target.ts';

/** The mock messaging core's behaviour; unset fields come from the chaos preset (or the defaults). */
export interface MockCoreSettings {
  /** @default the preset's (1 without chaos) */
  readonly successRate?: number;
  /** @default the preset's ({ kind: 'uniform', minMs: 1, maxMs: 5 } without chaos) */
  readonly latency?: LatencyModel;
  /** Per-agent overrides: a slow agent, an agent whose inbox is full. @default {} */
  readonly agents?: Readonly<Record<string, MockAgentOptions>>;
}

/** What a {@link MessagingCoreFactory} receives: the run's clock, random stream, sink and chaos. */
export interface MessagingCoreContext {
  readonly clock: Clock;
  /** The core's own seeded stream (the one the mock core would have used). */
  readonly random: SeededRandom;
  /** Every finished call must be reported here, once, timed on `clock`: the ledger and metrics read it. */
  readonly sink: DeliverySink;
  /** The run's chaos injector, or `undefined` without chaos. */
  readonly chaos: ChaosInjector | undefined;
  /** Holds a virtual clock still while real work (I/O) runs, as for targets. */
  readonly externalWork: <T>(work: () => Promise<T>) => Promise<T>;
}

/** Builds the messaging core of a run in place of the mock core (comparison mode's real inbox core). */
export type MessagingCoreFactory = (context: MessagingCoreContext) => MessagingCore;

/** Options of one stress run; everything but `target` has a default. */
export interface StressOptions extends WorkloadOptions {
  /** Builds the system under test around the injected mock core and clock. */
  readonly target: StressTargetFactory;
  /** Target-specific, JSON-plain options handed to the factory. @default {} */
  readonly targetOptions?: JsonObject;
  /** The run's seed: same seed and options, same report (apart from wall-clock fields). @default 1 */
  readonly seed?: number;
  /** `virtual` simulates time (no wall-clock waits); `real` runs against the wall clock. @default 'virtual' ('real' for a target that requires it) */
  readonly clock?: 'virtual' | 'real';
  /** Rounds virtual timer due times up to this step (ms) so more events share an instant; 0 is exact. @default 0 */
  readonly clockResolutionMs?: number;
  /** A preset name or a schedule. @default 'none' */
  readonly chaos?: ChaosPresetName | ChaosSchedule;
  /** @default {} */
  readonly core?: MockCoreSettings;
  /**
   * Replaces the mock core with another {@link MessagingCore} that reports to the run's sink; the mock core's
   * settings then do not apply. @default undefined (the seeded mock core)
   */
  readonly messagingCore?: MessagingCoreFactory;
  /** @default 'at-least-once' */
  readonly profile?: DeliveryProfile;
  /** Check first-attempt order per (sender, recipient, priority) stream. @default true (false for a target that promises no order) */
  readonly checkOrder?: boolean;
  /** Check that no regular unit overtakes an older urgent one to the same recipient. @default true (false for a target that promises no order) */
  readonly checkPriority?: boolean;
  /**
   * k6-style thresholds over metric paths, e.g. `{ success_rate: '>= 0.99' }`, layered over
   * {@link DEFAULT_THRESHOLDS} (a key of yours replaces the default of the same metric).
   * @default {}
   */
  readonly thresholds?: ThresholdSpec;
  /**
   * A threshold whose metric has no samples in this run (`null`, e.g. `success_rate` when nothing was processed):
   * `'fail'` it, or `'skip'` it (passes, marked "not judged"). Generated property cases use `'skip'`: a case that
   * happens to leave a metric empty is not a failure the user asked for. Unknown metrics always fail.
   * @default 'fail'
   */
  readonly thresholdsWithoutSamples?: ThresholdsWithoutSamples;
  /**
   * How long the final drain may take, in ms of the run's clock, before what is left is reported. When unset,
   * the budget is the larger of the target's `requirements().drainTimeoutMs` (else 600000 virtual,
   * 30000 real) and its declared {@link StressTarget.settleTimeMs} for what it holds when the drain starts.
   * @default the target's requirement, else 600000 virtual, 30000 real
   */
  readonly drainTimeoutMs?: number;
  /** Most intervals of the run's timeline; the interval width doubles past them. @default 60 */
  readonly timelineIntervals?: number;
  /**
   * Lets continuations run between two virtual instants, for every pause. @default continuations settled
   * without an event-loop turn, and a turn every 64 instants, while real I/O holds the clock and before idle
   */
  readonly yield?: YieldFunction;
  /** Aborts the run: sending stops, the target is closed and the report says so. */
  readonly signal?: AbortSignal;
  /** Facts about the environment for the report's `run` block (the engine reads no process state). */
  readonly environment?: { readonly toolVersion?: string; readonly nodeVersion?: string };
  /** Wall clock for `wall_time_ms` and `started_at`. @default a RealClock for durations and the epoch for the date (Node's `runStress` injects the real date) */
  readonly wallClock?: { readonly now: () => number; readonly epochMs: () => number };
}

/** {@link StressOptions} validated once, with defaults applied and the chaos preset unpacked. */
export interface ResolvedStressOptions {
  readonly options: StressOptions;
  readonly seed: number;
  readonly clock: 'virtual' | 'real';
  readonly clockResolutionMs: number;
  /** The preset's name, or `custom` for a schedule. */
  readonly chaosName: string;
  readonly chaos: ChaosSchedule;
  readonly successRate: number;
  readonly latency: LatencyModel;
  readonly coreAgents: Readonly<Record<string, MockAgentOptions>>;
  readonly profile: DeliveryProfile;
  readonly checkOrder: boolean;
  readonly checkPriority: boolean;
  readonly thresholds: ThresholdSpec;
  readonly thresholdsWithoutSamples: ThresholdsWithoutSamples;
  readonly drainTimeoutMs: number;
  readonly timelineIntervals: number;
  /** True when the caller set `drainTimeoutMs`: the target's declared settle time then does not extend it. */
  readonly drainTimeoutFixed: boolean;
}

function bool(value: unknown, path: string, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') throw invalidOption(path, 'a boolean', value);
  return value;
}

/** Validates {@link StressOptions} once; inner code trusts the result. Workload options are checked by the workload. */
export function resolveStressOptions(options: StressOptions): ResolvedStressOptions {
  if (typeof options !== 'object' || options === null) throw invalidOption('options', 'an object', options);
  if (typeof options.target !== 'function') {
    throw invalidOption(
      'target',
      'a target factory function ({ messagingCore, clock, ... }) => StressTarget',
      options.target,
    );
  }
  const seed = options.seed ?? 1;
  if (!isValidSeed(seed)) throw invalidOption('seed', 'a 32-bit integer', seed);
  const needs = options.target.requirements?.(options.targetOptions ?? {}) ?? {};
  const clock = options.clock ?? needs.clock ?? 'virtual';
  if (clock !== 'virtual' && clock !== 'real') throw invalidOption('clock', '"virtual" or "real"', clock);
  if (needs.clock === 'real' && clock !== 'real') {
    throw invalidOption('clock', '"real" (this target drives a real broker with its own timers)', clock);
  }
  const clockResolutionMs = options.clockResolutionMs ?? 0;
  if (typeof clockResolutionMs !== 'number' || !(clockResolutionMs >= 0 && clockResolutionMs <= 1000)) {
    throw invalidOption('clockResolutionMs', 'a number of ms from 0 to 1000', clockResolutionMs);
  }
  const rawChaos = options.chaos ?? 'none';
  const preset = typeof rawChaos === 'string' ? chaosPreset(rawChaos) : undefined;
  if (typeof rawChaos === 'string' && !isChaosPresetName(rawChaos))
    throw invalidOption('chaos', 'a preset', rawChaos);
  const chaos = preset ? preset.schedule : validateChaosSchedule(rawChaos, 'chaos');
  const core = options.core ?? {};
  if (typeof core !== 'object' || core === null) throw invalidOption('core', 'an object', core);
  const successRate = core.successRate ?? preset?.successRate ?? 1;
  if (typeof successRate !== 'number' || !(successRate >= 0 && successRate <= 1)) {
    throw invalidOption('core.successRate', 'a probability from 0 to 1', successRate);
  }
  const latency = resolveLatencyModel(
    core.latency ?? preset?.latency ?? chaosPreset('none').latency,
    'core.latency',
  );
  if (options.messagingCore !== undefined && typeof options.messagingCore !== 'function') {
    throw invalidOption(
      'messagingCore',
      'a factory ({ clock, random, sink, chaos, externalWork }) => MessagingCore',
      options.messagingCore,
    );
  }
  const profile = options.profile ?? 'at-least-once';
  if (profile !== 'at-least-once' && profile !== 'exactly-once') {
    throw invalidOption('profile', '"at-least-once" or "exactly-once"', profile);
  }
  const drainTimeoutMs =
    options.drainTimeoutMs ?? needs.drainTimeoutMs ?? (clock === 'virtual' ? 600_000 : 30_000);
  if (typeof drainTimeoutMs !== 'number' || !(drainTimeoutMs > 0)) {
    throw invalidOption('drainTimeoutMs', 'a positive number of ms', drainTimeoutMs);
  }
  const timelineIntervals = options.timelineIntervals ?? 60;
  if (!Number.isInteger(timelineIntervals) || timelineIntervals < 2 || timelineIntervals > 10_000) {
    throw invalidOption('timelineIntervals', 'an integer from 2 to 10000', timelineIntervals);
  }
  const own = options.thresholds ?? {};
  if (typeof own !== 'object' || own === null || Array.isArray(own)) {
    throw invalidOption('thresholds', 'an object of metric path → expression(s)', own);
  }
  // The defaults sit under the user's: the same metric path replaces a default (`rejected_rate: '<= 1'` relaxes it).
  const defaults = Object.entries(DEFAULT_THRESHOLDS).filter(([metric]) => !Object.hasOwn(own, metric));
  const thresholds: ThresholdSpec = { ...own, ...Object.fromEntries(defaults) };
  // A malformed expression fails here, before the run, rather than after minutes of it.
  parseThresholds(thresholds);
  const thresholdsWithoutSamples = options.thresholdsWithoutSamples ?? 'fail';
  if (thresholdsWithoutSamples !== 'fail' && thresholdsWithoutSamples !== 'skip') {
    throw invalidOption('thresholdsWithoutSamples', '"fail" or "skip"', thresholdsWithoutSamples);
  }
  return {
    options,
    seed,
    clock,
    clockResolutionMs,
    chaosName: typeof rawChaos === 'string' ? rawChaos : 'custom',
    chaos,
    successRate,
    latency,
    coreAgents: core.agents ?? {},
    profile,
    checkOrder: bool(options.checkOrder, 'checkOrder', needs.ordered ?? true),
    checkPriority: bool(options.checkPriority, 'checkPriority', needs.ordered ?? true),
    thresholds,
    thresholdsWithoutSamples,
    drainTimeoutMs,
    timelineIntervals,
    drainTimeoutFixed: options.drainTimeoutMs !== undefined,
  };
}
