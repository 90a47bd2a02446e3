import { assertSafeAgentId, type Clock, invalidOption } from '../../protocol/index.ts';
import type { ChaosInjector } from '../chaos/chaos-injector.ts';
import type { SeededRandom } from '../workload/seeded-random.ts';
import type { DeliverySink } from './delivery-sink.ts';
import { DEFAULT_LATENCY, type LatencyModel, resolveLatencyModel } from './latency-model.ts';

/** Per-agent overrides of the mock core's behaviour. */
export interface MockAgentOptions {
  /** @default the core's `latency` */
  readonly latency?: LatencyModel;
  /** @default the core's `successRate` */
  readonly successRate?: number;
  /** A full inbox: every delivery is refused at once (outcome `refused`, answers `false`). @default false */
  readonly full?: boolean;
}

/** Options of {@link MockMessagingCore}. */
export interface MockMessagingCoreOptions {
  /** Latency is waited on this clock (a `VirtualClock` in simulated runs). */
  readonly clock: Clock;
  /** The core's own stream (e.g. `root.fork('core')`): outcome and latency draws. */
  readonly random: SeededRandom;
  /** Receives one event per finished call (two for a duplicate delivery). */
  readonly sink: DeliverySink;
  /** Probability that an ordinary delivery succeeds; the rest answer `false` after the latency. @default 1 */
  readonly successRate?: number;
  /** Base latency of every delivery. @default { kind: 'uniform', minMs: 1, maxMs: 5 } */
  readonly latency?: LatencyModel;
  /** Overrides by agent id. @default {} */
  readonly agents?: Readonly<Record<string, MockAgentOptions>>;
  /** Faults to inject; consulted once per delivery. @default undefined (no chaos) */
  readonly chaos?: ChaosInjector;
  /** How many recent delivery events to keep for debugging (a bounded ring; 0 keeps none). @default 100 */
  readonly recentCapacity?: number;
}

/** Per-agent overrides with their defaults applied. */
export interface ResolvedMockAgent {
  readonly latency: LatencyModel;
  readonly successRate: number;
  readonly full: boolean;
}

/** {@link MockMessagingCoreOptions} validated, defaults applied. */
export interface ResolvedMockMessagingCoreOptions {
  readonly clock: Clock;
  readonly random: SeededRandom;
  readonly sink: DeliverySink;
  readonly successRate: number;
  readonly latency: LatencyModel;
  readonly agents: ReadonlyMap<string, ResolvedMockAgent>;
  readonly chaos: ChaosInjector | undefined;
  readonly recentCapacity: number;
}

const MAX_RECENT = 1_000_000;

function probability(value: unknown, path: string): number {
  if (typeof value !== 'number' || !(value >= 0 && value <= 1)) {
    throw invalidOption(path, 'a probability from 0 to 1', value);
  }
  return value;
}

function hasMethods(value: unknown, names: readonly string[]): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Record<string, unknown>;
  return names.every((name) => typeof record[name] === 'function');
}

/** Validates the mock core's options once and applies the defaults. */
export function resolveMockMessagingCoreOptions(
  options: MockMessagingCoreOptions,
): ResolvedMockMessagingCoreOptions {
  if (!hasMethods(options.clock, ['now', 'setTimer', 'clearTimer'])) {
    throw invalidOption('clock', 'a Clock', options.clock);
  }
  if (!hasMethods(options.random, ['nextFloat', 'fork'])) {
    throw invalidOption('random', 'a SeededRandom', options.random);
  }
  if (!hasMethods(options.sink, ['onDelivery'])) throw invalidOption('sink', 'a DeliverySink', options.sink);
  if (options.chaos !== undefined && !hasMethods(options.chaos, ['outcomeFault', 'extraLatencyMs'])) {
    throw invalidOption('chaos', 'a ChaosInjector', options.chaos);
  }
  const successRate = probability(options.successRate ?? 1, 'successRate');
  const latency = resolveLatencyModel(options.latency ?? DEFAULT_LATENCY, 'latency');
  const recentCapacity = options.recentCapacity ?? 100;
  if (!Number.isInteger(recentCapacity) || recentCapacity < 0 || recentCapacity > MAX_RECENT) {
    throw invalidOption('recentCapacity', `an integer from 0 to ${MAX_RECENT}`, recentCapacity);
  }
  const agents = new Map<string, ResolvedMockAgent>();
  const rawAgents = options.agents ?? {};
  if (typeof rawAgents !== 'object' || rawAgents === null || Array.isArray(rawAgents)) {
    throw invalidOption('agents', 'an object of overrides by agent id', rawAgents);
  }
  for (const [id, raw] of Object.entries(rawAgents)) {
    assertSafeAgentId(id, `agents.${id}`);
    if (typeof raw !== 'object' || raw === null) throw invalidOption(`agents.${id}`, 'an object', raw);
    for (const key of Object.keys(raw)) {
      if (key !== 'latency' && key !== 'successRate' && key !== 'full') {
        throw invalidOption(
          `agents.${id}.${key}`,
          'absent (known keys: latency, successRate, full)',
          (raw as Record<string, unknown>)[key],
        );
      }
    }
    if (raw.full !== undefined && typeof raw.full !== 'boolean') {
      throw invalidOption(`agents.${id}.full`, 'a boolean', raw.full);
    }
    agents.set(id, {
      latency: raw.latency === undefined ? latency : resolveLatencyModel(raw.latency, `agents.${id}.latency`),
      successRate:
        raw.successRate === undefined
          ? successRate
          : probability(raw.successRate, `agents.${id}.successRate`),
      full: raw.full ?? false,
    });
  }
  const { clock, random, sink, chaos } = options;
  return { clock, random, sink, successRate, latency, agents, chaos, recentCapacity };
}
