import { type Clock, StressError } from '../../protocol/index.ts';
import type { TargetFaults } from '../runner/stress-target.ts';
import type { SeededRandom } from '../workload/seeded-random.ts';
import {
  ALL_CHAOS_KINDS,
  CHAOS_OUTCOME_KINDS,
  type ChaosEvent,
  type ChaosKind,
  type ChaosOutcomeKind,
  type ChaosRange,
  type ChaosSchedule,
  isBrokerChaosKind,
  type ResolvedChaosSchedule,
} from './chaos-schedule.ts';
import { validateChaosSchedule } from './validate-chaos-schedule.ts';

/** What a {@link ChaosInjector} needs: the plan, its own random stream and the run's clock. */
export interface ChaosInjectorOptions {
  /** Validated here; `undefined` means no chaos. */
  readonly schedule: ChaosSchedule | undefined;
  /** Give the injector its own fork (e.g. `root.fork('chaos')`) so chaos never shifts other streams. */
  readonly random: SeededRandom;
  readonly clock: Clock;
}

interface Window {
  readonly start: number;
  readonly end: number;
  readonly agent: string | undefined;
  readonly kind: ChaosKind;
  /** Precedence among outcome kinds (index in CHAOS_OUTCOME_KINDS), -1 for other kinds. */
  readonly rank: number;
}

const KIND_INDEX = new Map<ChaosKind, number>(ALL_CHAOS_KINDS.map((kind, i) => [kind, i]));
const SPIKE = KIND_INDEX.get('latency_spike') as number;
const SLOW = KIND_INDEX.get('agent_slow') as number;
const STORE = KIND_INDEX.get('store_write_failure') as number;

/**
 * Decides, per delivery and per store write, which fault of a {@link ChaosSchedule} strikes (random rates
 * plus the timed windows active now), and counts every fault it injects by kind. Run-level events
 * (`crash_restart`, `saturation_burst`) are only exposed as data for the runner, which reports them back
 * through {@link ChaosInjector.recordInjected}.
 */
export class ChaosInjector implements TargetFaults {
  /** The validated plan. */
  readonly schedule: ResolvedChaosSchedule;
  readonly #random: SeededRandom;
  readonly #clock: Clock;
  readonly #counts = new Float64Array(ALL_CHAOS_KINDS.length);
  // Cumulative outcome thresholds: one draw u picks the first kind whose threshold exceeds u.
  readonly #thresholds = new Float64Array(CHAOS_OUTCOME_KINDS.length);
  readonly #outcomeTotal: number;
  readonly #windows: readonly Window[];
  /** True when the schedule can inject anything at all (a rate above 0 or an event). */
  readonly enabled: boolean;

  /** Validates the schedule and prepares its thresholds and windows. */
  constructor(options: ChaosInjectorOptions) {
    this.schedule = validateChaosSchedule(options.schedule);
    this.#random = options.random;
    this.#clock = options.clock;
    let total = 0;
    CHAOS_OUTCOME_KINDS.forEach((kind, i) => {
      total += this.schedule.rates[kind] ?? 0;
      this.#thresholds[i] = total;
    });
    this.#outcomeTotal = total;
    this.#windows = this.schedule.events
      .filter(
        (event) =>
          event.kind !== 'crash_restart' &&
          event.kind !== 'saturation_burst' &&
          !isBrokerChaosKind(event.kind),
      )
      .map((event) => ({
        start: event.atMs,
        end: event.atMs + (event.durationMs ?? 0),
        agent: event.agent,
        kind: event.kind,
        rank: (CHAOS_OUTCOME_KINDS as readonly ChaosKind[]).indexOf(event.kind),
      }));
    this.enabled =
      this.schedule.events.length > 0 || Object.values(this.schedule.rates).some((rate) => (rate ?? 0) > 0);
  }

  /** The outcome fault for one delivery to `agent` now, or `undefined` for none; counts it. */
  outcomeFault(agent: string): ChaosOutcomeKind | undefined {
    if (this.#windows.length > 0) {
      const now = this.#clock.now();
      let best = -1;
      for (const window of this.#windows) {
        if (window.start > now) break;
        if (window.rank >= 0 && now < window.end && (window.agent === undefined || window.agent === agent)) {
          if (best < 0 || window.rank < best) best = window.rank;
        }
      }
      if (best >= 0) return this.#inject(CHAOS_OUTCOME_KINDS[best] as ChaosOutcomeKind);
    }
    if (this.#outcomeTotal <= 0) return undefined;
    const u = this.#random.nextFloat();
    if (u >= this.#outcomeTotal) return undefined;
    const thresholds = this.#thresholds;
    let i = 0;
    while (u >= (thresholds[i] as number)) i++;
    return this.#inject(CHAOS_OUTCOME_KINDS[i] as ChaosOutcomeKind);
  }

  /** Extra latency in ms for one delivery to `agent` now (latency spike and/or slow agent); counts each. */
  extraLatencyMs(agent: string): number {
    const rates = this.schedule.rates;
    let spike = this.#random.chance(rates.latency_spike ?? 0);
    let slow = this.#random.chance(rates.agent_slow ?? 0);
    if (this.#windows.length > 0 && !(spike && slow)) {
      spike ||= this.#windowActive('latency_spike', agent);
      slow ||= this.#windowActive('agent_slow', agent);
    }
    let extra = 0;
    if (spike) extra += this.#draw(this.schedule.spike, SPIKE);
    if (slow) extra += this.#draw(this.schedule.slow, SLOW);
    return extra;
  }

  /** Called before each store write (the {@link TargetFaults} port): an error makes that write fail. */
  storeWrite(): Error | undefined {
    const fails =
      this.#random.chance(this.schedule.rates.store_write_failure ?? 0) ||
      this.#windowActive('store_write_failure', undefined);
    if (!fails) return undefined;
    this.#bump(STORE);
    return new StressError('ERR_STORE_WRITE', 'Chaos injected a store write failure (store_write_failure).');
  }

  /** The scheduled events of one kind, in time order (the runner executes `crash_restart`, `saturation_burst` and broker kinds). */
  timedEvents(kind: ChaosKind): readonly ChaosEvent[] {
    return this.schedule.events.filter((event) => event.kind === kind);
  }

  /** Counts a fault the runner injected itself (a crash, a burst, a broker fault). */
  recordInjected(kind: ChaosKind, times = 1): void {
    this.#bump(KIND_INDEX.get(kind) as number, times);
  }

  /** Faults of one kind injected so far (no record built: the workload sender asks on every refusal). */
  count(kind: ChaosKind): number {
    return this.#counts[KIND_INDEX.get(kind) as number] as number;
  }

  /** Faults injected so far, by kind (every kind present, JSON-plain). */
  counts(): Record<ChaosKind, number> {
    const counts = {} as Record<ChaosKind, number>;
    ALL_CHAOS_KINDS.forEach((kind, i) => {
      counts[kind] = this.#counts[i] as number;
    });
    return counts;
  }

  #bump(index: number, times = 1): void {
    this.#counts[index] = (this.#counts[index] as number) + times;
  }

  #inject(kind: ChaosOutcomeKind): ChaosOutcomeKind {
    this.#bump(KIND_INDEX.get(kind) as number);
    return kind;
  }

  #draw(range: ChaosRange, index: number): number {
    this.#bump(index);
    return range.minMs + (range.maxMs - range.minMs) * this.#random.nextFloat();
  }

  #windowActive(kind: ChaosKind, agent: string | undefined): boolean {
    const now = this.#clock.now();
    for (const window of this.#windows) {
      if (window.start > now) break;
      if (
        window.kind === kind &&
        now < window.end &&
        (window.agent === undefined || window.agent === agent)
      ) {
        return true;
      }
    }
    return false;
  }
}
