/**
 * Every in-process fault the engine can inject. Per-delivery faults: `delivery_failure` (answers `false` at once),
 * `throw` (rejects after the latency), `hang` (never answers until the caller's signal aborts),
 * `duplicate_delivery` (the recipient gets it twice), `delivered_reported_failed` (delivered, answers `false`),
 * `agent_full` (the recipient refuses it), `latency_spike` and `agent_slow` (extra latency).
 * Per store write: `store_write_failure`. Run-level, executed by the runner: `crash_restart` (the target
 * crashes and restarts) and `saturation_burst` (the next messages of the workload sent at once).
 */
export const CHAOS_KINDS = [
  'delivery_failure',
  'throw',
  'latency_spike',
  'hang',
  'duplicate_delivery',
  'delivered_reported_failed',
  'agent_full',
  'agent_slow',
  'store_write_failure',
  'crash_restart',
  'saturation_burst',
] as const;

/**
 * Faults of a real broker, executed by the target itself (`StressTarget.injectFault`) at their time:
 * `broker_restart` (the broker process is killed and restarted on its data after `durationMs`), `broker_pause`
 * (the broker answers nobody for `durationMs`), `connection_drop` (every client connection is cut once),
 * `worker_crash` (one worker dies mid-job; a new one starts after `durationMs`) and `broker_slow` (every
 * command is delayed for `durationMs`). A target without a broker skips them with a warning.
 */
export const BROKER_CHAOS_KINDS = [
  'broker_restart',
  'broker_pause',
  'connection_drop',
  'worker_crash',
  'broker_slow',
] as const;

/** One of {@link BROKER_CHAOS_KINDS}. */
export type BrokerChaosKind = (typeof BROKER_CHAOS_KINDS)[number];

/** Every kind a schedule may name: the in-process {@link CHAOS_KINDS}, then the {@link BROKER_CHAOS_KINDS}. */
export const ALL_CHAOS_KINDS = [...CHAOS_KINDS, ...BROKER_CHAOS_KINDS] as const;

/** One of {@link ALL_CHAOS_KINDS}. */
export type ChaosKind = (typeof ALL_CHAOS_KINDS)[number];

/** True when `kind` is executed by a broker target rather than by the engine. */
export function isBrokerChaosKind(kind: string): kind is BrokerChaosKind {
  return (BROKER_CHAOS_KINDS as readonly string[]).includes(kind);
}

/**
 * Faults that decide how a delivery ends; they exclude each other (one draw per delivery picks at most one),
 * so their rates must sum to at most 1. Listed in the order a timed window of each takes precedence.
 */
export const CHAOS_OUTCOME_KINDS = [
  'agent_full',
  'delivery_failure',
  'throw',
  'hang',
  'delivered_reported_failed',
  'duplicate_delivery',
] as const;

/** One of {@link CHAOS_OUTCOME_KINDS}. */
export type ChaosOutcomeKind = (typeof CHAOS_OUTCOME_KINDS)[number];

/** Faults that can be given a rate: every in-process kind but the run-level `crash_restart` and `saturation_burst`. */
export const CHAOS_RATE_KINDS = [
  ...CHAOS_OUTCOME_KINDS,
  'latency_spike',
  'agent_slow',
  'store_write_failure',
] as const;

/** One of {@link CHAOS_RATE_KINDS}. */
export type ChaosRateKind = (typeof CHAOS_RATE_KINDS)[number];

/** Probability of each fault per delivery (per store write for `store_write_failure`); absent means 0. */
export type ChaosRates = Partial<Record<ChaosRateKind, number>>;

/** A range of extra latency, drawn uniformly. */
export interface ChaosRange {
  readonly minMs: number;
  readonly maxMs: number;
}

/**
 * A fault at a virtual time. A rate kind applies to every delivery (or write) from `atMs` for `durationMs`,
 * to `agent` only when given. `crash_restart` stays down `durationMs` (default 0) before restarting;
 * `saturation_burst` sends the next `count` messages of the workload at once (quotas stay exact) and takes
 * neither `agent` nor `durationMs` (validation rejects them). Broker kinds take no `agent`; `connection_drop`
 * takes no `durationMs`, `broker_pause` and `broker_slow` need one, and `broker_restart` and `worker_crash`
 * stay down `durationMs` (default 0).
 */
export interface ChaosEvent {
  readonly atMs: number;
  readonly kind: ChaosKind;
  readonly durationMs?: number;
  readonly agent?: string;
  readonly count?: number;
}

/** A chaos plan as plain JSON data; {@link validateChaosSchedule} checks it and fills the defaults. */
export interface ChaosSchedule {
  /** @default {} (no random faults) */
  readonly rates?: ChaosRates;
  /** Extra latency of a `latency_spike`. @default { minMs: 0, maxMs: 500 } (the original's spikes) */
  readonly spike?: ChaosRange;
  /** Extra latency of an `agent_slow` delivery. @default { minMs: 50, maxMs: 250 } */
  readonly slow?: ChaosRange;
  /** @default [] */
  readonly events?: readonly ChaosEvent[];
}

/** A validated {@link ChaosSchedule}: every field present, events sorted by `atMs` (ties keep their order). */
export interface ResolvedChaosSchedule {
  readonly rates: ChaosRates;
  readonly spike: ChaosRange;
  readonly slow: ChaosRange;
  readonly events: readonly ChaosEvent[];
}

/** Default extra latency of a `latency_spike`: 0-500 ms, as in the original's chaos mode. */
export const DEFAULT_SPIKE: ChaosRange = { minMs: 0, maxMs: 500 };

/** Default extra latency of an `agent_slow` delivery. */
export const DEFAULT_SLOW: ChaosRange = { minMs: 50, maxMs: 250 };

const percent = (rate: number): string => `${Number((rate * 100).toPrecision(3))}%`;

function describeEvent(event: ChaosEvent): string {
  const parts: string[] = [event.kind];
  if (event.agent !== undefined) parts.push(event.agent);
  if (event.count !== undefined) parts.push(`x${event.count}`);
  parts.push(`at ${event.atMs} ms`);
  if (event.durationMs !== undefined) parts.push(`for ${event.durationMs} ms`);
  return parts.join(' ');
}

/**
 * A short readable summary for failure reports.
 * @example
 * describeChaosSchedule(schedule); // "rates: delivery_failure 1%, latency_spike 5% (0-500 ms); events: none"
 */
export function describeChaosSchedule(schedule: ResolvedChaosSchedule): string {
  const rates: string[] = [];
  for (const kind of CHAOS_RATE_KINDS) {
    const rate = schedule.rates[kind];
    if (rate === undefined || rate <= 0) continue;
    const range =
      kind === 'latency_spike' ? schedule.spike : kind === 'agent_slow' ? schedule.slow : undefined;
    rates.push(`${kind} ${percent(rate)}${range ? ` (${range.minMs}-${range.maxMs} ms)` : ''}`);
  }
  if (rates.length === 0 && schedule.events.length === 0) return 'no chaos';
  const events = schedule.events.map(describeEvent);
  return `rates: ${rates.join(', ') || 'none'}; events: ${events.join('; ') || 'none'}`;
}
