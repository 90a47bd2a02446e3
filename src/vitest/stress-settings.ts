import type {
  ArrivalModel,
  ChaosPresetName,
  ChaosSchedule,
  DeliveryProfile,
  Mix,
  MockCoreSettings,
  ThresholdSpec,
} from '../engine/index.ts';
import type { JsonObject, MessagePriority, MessageTag, MessageType } from '../protocol/index.ts';

/**
 * The JSON-plain options of one engine run, as a project, a describe block (`stressTest.override`) or a test
 * (`meta.stress`) sets them; each layer overrides the one before. The target is a module path, since
 * functions cannot travel from the config to the test workers.
 */
export interface StressRunSettings {
  /** A number of agents (`Agent-1`..`Agent-N`) or explicit agent ids. @default 9 */
  readonly agents?: number | readonly string[];
  /** Deliveries every agent receives. @default 100 */
  readonly messagesPerAgent?: number;
  /** Share of deliveries by message type. @default { system_to_agent: 0.5, broadcast: 0.25, onboarding: 0.25 } */
  readonly typeMix?: Mix<MessageType>;
  /** @default { regular: 0.9, urgent: 0.1 } */
  readonly priorityMix?: Mix<MessagePriority>;
  /** @default { coordination: 0.05, wrapup: 0.05 } */
  readonly tagMix?: Partial<Record<MessageTag, number>>;
  /** @default { minBytes: 16, maxBytes: 256 } */
  readonly content?: { readonly minBytes: number; readonly maxBytes: number };
  /** @default { kind: 'open', ratePerAgent: 25, process: 'constant' } */
  readonly arrival?: ArrivalModel;
  /** @default 'run' */
  readonly runId?: string;
  /** @default 1 */
  readonly seed?: number;
  /** @default 'virtual' */
  readonly clock?: 'virtual' | 'real';
  /** @default 0 */
  readonly clockResolutionMs?: number;
  /** A chaos preset name or a schedule. @default 'none' */
  readonly chaos?: ChaosPresetName | ChaosSchedule;
  /** @default {} */
  readonly core?: MockCoreSettings;
  /** @default 'at-least-once' */
  readonly profile?: DeliveryProfile;
  /** @default true */
  readonly checkOrder?: boolean;
  /** @default true */
  readonly checkPriority?: boolean;
  /** k6-style thresholds, e.g. `{ success_rate: '>= 0.99' }`. @default {} */
  readonly thresholds?: ThresholdSpec;
  /** @default 600000 virtual, 30000 real */
  readonly drainTimeoutMs?: number;
  /**
   * Module that builds the system under test, relative to the project root: it exports `createTarget` (or a
   * default export) as a `StressTargetFactory`. @default the reference MessageQueueProcessor
   */
  readonly target?: string;
  /** JSON-plain options handed to the target factory. @default {} */
  readonly targetOptions?: JsonObject;
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

/** Layers settings: later layers override earlier ones key by key (objects are replaced, not deep-merged). */
export function layerSettings(...layers: readonly (StressRunSettings | undefined)[]): StressRunSettings {
  const merged: Record<string, unknown> = {};
  for (const layer of layers) {
    if (layer === undefined) continue;
    for (const [key, value] of Object.entries(layer)) if (value !== undefined) merged[key] = value;
  }
  return merged as StressRunSettings;
}
