import fc from 'fast-check';
import type { ChaosEvent, ChaosKind } from '../engine/index.ts';
import { ALL_CHAOS_KINDS, CHAOS_KINDS } from '../engine/index.ts';
import { invalidOption } from '../protocol/index.ts';

/** Constraints of {@link chaosEvent}. */
export interface ChaosEventConstraints {
  /** Kinds an event may have; broker kinds only when named. @default every in-process kind (`CHAOS_KINDS`) */
  readonly kinds?: readonly ChaosKind[];
  /** Latest start, in ms of the run's clock. @default 4000 (the default run's length) */
  readonly horizonMs?: number;
  /** Longest window or crash downtime, in ms. @default 500 */
  readonly maxDurationMs?: number;
  /** Largest saturation burst. @default 200 */
  readonly maxBurst?: number;
  /** Agents a window may target: a count (`Agent-1`..`Agent-N`) or ids. @default 9 */
  readonly agents?: number | readonly string[];
}

/** Resolved constraints shared by the chaos arbitraries. */
export interface ResolvedChaosEventConstraints {
  readonly kinds: readonly ChaosKind[];
  readonly horizonMs: number;
  readonly maxDurationMs: number;
  readonly maxBurst: number;
  readonly agents: readonly string[];
}

function integer(value: unknown, fallback: number, min: number, max: number, path: string): number {
  const resolved = value ?? fallback;
  if (typeof resolved !== 'number' || !Number.isInteger(resolved) || resolved < min || resolved > max) {
    throw invalidOption(path, `an integer from ${min} to ${max}`, resolved);
  }
  return resolved;
}

/** Validates {@link ChaosEventConstraints} once and applies the defaults. */
export function resolveChaosEventConstraints(
  constraints: ChaosEventConstraints,
): ResolvedChaosEventConstraints {
  const kinds = constraints.kinds ?? CHAOS_KINDS;
  if (
    !Array.isArray(kinds) ||
    kinds.some((kind) => !(ALL_CHAOS_KINDS as readonly unknown[]).includes(kind))
  ) {
    throw invalidOption('kinds', `an array of chaos kinds (${ALL_CHAOS_KINDS.join(', ')})`, kinds);
  }
  const rawAgents = constraints.agents ?? 9;
  const agents =
    typeof rawAgents === 'number'
      ? Array.from({ length: integer(rawAgents, 9, 1, 10_000, 'agents') }, (_, i) => `Agent-${i + 1}`)
      : rawAgents;
  if (!Array.isArray(agents) || agents.length === 0 || agents.some((agent) => typeof agent !== 'string')) {
    throw invalidOption('agents', 'an agent count or a non-empty array of agent ids', rawAgents);
  }
  return {
    // In the engine's order, so a shrinking kind moves towards the simpler per-delivery faults.
    kinds: ALL_CHAOS_KINDS.filter((kind) => kinds.includes(kind)),
    horizonMs: integer(constraints.horizonMs, 4000, 0, 86_400_000, 'horizonMs'),
    maxDurationMs: integer(constraints.maxDurationMs, 500, 1, 86_400_000, 'maxDurationMs'),
    maxBurst: integer(constraints.maxBurst, 200, 1, 10_000_000, 'maxBurst'),
    agents,
  };
}

/**
 * One timed chaos event, valid for `validateChaosSchedule`: a fault window (rate kinds, at least 1 ms long,
 * optionally for one agent), a crash/restart with a downtime, a saturation burst, or a broker fault (a restart
 * or worker crash with a downtime, a pause or slow window, a connection drop). Shrinks towards time 0,
 * shorter windows and downtimes, smaller bursts and all agents.
 */
export function chaosEvent(constraints: ChaosEventConstraints = {}): fc.Arbitrary<ChaosEvent> {
  const c = resolveChaosEventConstraints(constraints);
  if (c.kinds.length === 0) throw invalidOption('kinds', 'at least one chaos kind', c.kinds);
  return fc
    .record({
      kind: fc.constantFrom(...c.kinds),
      atMs: fc.integer({ min: 0, max: c.horizonMs }),
      durationMs: fc.integer({ min: 0, max: c.maxDurationMs }),
      agent: fc.option(fc.constantFrom(...c.agents), { nil: undefined }),
      count: fc.integer({ min: 1, max: c.maxBurst }),
    })
    .map(({ kind, atMs, durationMs, agent, count }): ChaosEvent => {
      if (kind === 'saturation_burst') return { atMs, kind, count };
      if (kind === 'crash_restart' || kind === 'broker_restart' || kind === 'worker_crash')
        return durationMs > 0 ? { atMs, kind, durationMs } : { atMs, kind };
      if (kind === 'connection_drop') return { atMs, kind };
      // A window of 0 ms never applies, so the shortest one is 1 ms.
      const window = { atMs, kind, durationMs: Math.max(1, durationMs) };
      const perAgent = kind !== 'store_write_failure' && kind !== 'broker_pause' && kind !== 'broker_slow';
      return agent === undefined || !perAgent ? window : { ...window, agent };
    });
}
