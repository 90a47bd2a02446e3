import type { StressOptions } from '../engine/index.ts';

/**
 * The JSON-plain options of one engine run, as a project, a describe block (`stressTest.override`) or a test
 * (`meta.stress`) sets them; each layer overrides the one before. They are the engine's `StressOptions`
 * (defaults documented there) minus what cannot travel from the config to the test workers: functions and
 * signals. The target is therefore a module path.
 */
export interface StressRunSettings
  extends Omit<StressOptions, 'target' | 'messagingCore' | 'yield' | 'signal' | 'environment' | 'wallClock'> {
  /**
   * Module that builds the system under test, relative to the project root: it exports `createTarget` (or a
   * default export) as a `StressTargetFactory`. @default the reference MessageQueueProcessor
   */
  readonly target?: string;
}

/** Every key of {@link StressRunSettings}, to reject misspelt ones. */
export const STRESS_RUN_SETTING_KEYS: readonly (keyof StressRunSettings)[] = [
  'agents',
  'messagesPerAgent',
  'typeMix',
  'priorityMix',
  'tagMix',
  'content',
  'arrival',
  'runId',
  'seed',
  'clock',
  'clockResolutionMs',
  'chaos',
  'core',
  'profile',
  'checkOrder',
  'checkPriority',
  'thresholds',
  'drainTimeoutMs',
  'target',
  'targetOptions',
];

/**
 * Layers settings: later layers override earlier ones key by key (objects are replaced, not deep-merged), except
 * `thresholds`, which layer by metric path: a later layer adds metrics and replaces only the ones it names again.
 */
export function layerSettings(...layers: readonly (StressRunSettings | undefined)[]): StressRunSettings {
  const merged: Record<string, unknown> = {};
  for (const layer of layers) {
    if (layer === undefined) continue;
    for (const [key, value] of Object.entries(layer)) {
      if (value === undefined) continue;
      // Thresholds layer by metric: a test adds to the project's, and replaces only a metric it names again.
      merged[key] =
        key === 'thresholds' ? { ...(merged.thresholds as object | undefined), ...(value as object) } : value;
    }
  }
  return merged as StressRunSettings;
}
