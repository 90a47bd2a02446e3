import { invalidOption } from '../../protocol/index.ts';
import type { SeededRandom } from './seeded-random.ts';

/**
 * When messages are meant to be sent (JSON-plain). `open`: an open-loop stream in which each agent receives
 * `ratePerAgent` deliveries per second on average (a broadcast counts once for every agent), spaced evenly
 * (`constant`) or with exponential gaps (`poisson`); it does not slow down when the target does, so queueing
 * shows up as latency. `burst`: everything at time 0, or bursts of `size` messages every `gapMs`.
 */
export type ArrivalModel =
  | { readonly kind: 'open'; readonly ratePerAgent?: number; readonly process?: 'constant' | 'poisson' }
  | { readonly kind: 'burst'; readonly size?: number; readonly gapMs?: number };

/** An {@link ArrivalModel} with its defaults applied; a burst without `size` sends everything at once. */
export type ResolvedArrivalModel =
  | { readonly kind: 'open'; readonly ratePerAgent: number; readonly process: 'constant' | 'poisson' }
  | { readonly kind: 'burst'; readonly size?: number; readonly gapMs: number };

const DEFAULT_RATE_PER_AGENT = 25;

/** Default arrivals: 25 deliveries per agent per second, evenly spaced (the default run lasts 4 virtual s). */
export const DEFAULT_ARRIVAL: ResolvedArrivalModel = {
  kind: 'open',
  ratePerAgent: DEFAULT_RATE_PER_AGENT,
  process: 'constant',
};

const MAX_RATE = 1e9;
const MAX_GAP_MS = 86_400_000;

/** Validates an arrival model from user input and applies its defaults; `path` names it in errors. */
export function resolveArrivalModel(input: unknown, path = 'arrival'): ResolvedArrivalModel {
  if (input === undefined) return DEFAULT_ARRIVAL;
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw invalidOption(path, 'an arrival model object with `kind` "open" or "burst"', input);
  }
  const model = input as Record<string, unknown>;
  if (model.kind === 'open') {
    const rate = model.ratePerAgent ?? DEFAULT_RATE_PER_AGENT;
    if (typeof rate !== 'number' || !(rate > 0 && rate <= MAX_RATE)) {
      throw invalidOption(
        `${path}.ratePerAgent`,
        `a number of messages per second above 0, at most ${MAX_RATE}`,
        rate,
      );
    }
    const process = model.process ?? 'constant';
    if (process !== 'constant' && process !== 'poisson') {
      throw invalidOption(`${path}.process`, '"constant" or "poisson"', process);
    }
    return { kind: 'open', ratePerAgent: rate, process };
  }
  if (model.kind === 'burst') {
    const size = model.size;
    if (size !== undefined && (typeof size !== 'number' || !Number.isInteger(size) || size < 1)) {
      throw invalidOption(`${path}.size`, 'a whole number of messages, at least 1', size);
    }
    const gapMs = model.gapMs ?? 1000;
    if (typeof gapMs !== 'number' || !(gapMs >= 0 && gapMs <= MAX_GAP_MS)) {
      throw invalidOption(`${path}.gapMs`, `a number of milliseconds from 0 to ${MAX_GAP_MS}`, gapMs);
    }
    return size === undefined ? { kind: 'burst', gapMs } : { kind: 'burst', size, gapMs };
  }
  throw invalidOption(`${path}.kind`, '"open" or "burst"', model.kind);
}

/** Intended send times of a message sequence, produced one at a time so none are stored. */
export interface ArrivalClock {
  /** The send time of the next message, in virtual ms (non-decreasing, the first is 0). */
  next(): number;
  /** The span the plan covers: the open stream's length, or the start of the last burst. */
  readonly plannedDurationMs: number;
}

/**
 * Creates the send-time stream for `totalMessages` messages in which each agent receives
 * `deliveriesPerAgent` deliveries; `random` (its own fork) is drawn only by the `poisson` process.
 */
export function createArrivalClock(
  model: ResolvedArrivalModel,
  totalMessages: number,
  deliveriesPerAgent: number,
  random: SeededRandom,
): ArrivalClock {
  let index = 0;
  if (model.kind === 'burst') {
    const size = model.size ?? totalMessages;
    const gapMs = model.gapMs;
    return {
      plannedDurationMs: (Math.ceil(totalMessages / size) - 1) * gapMs,
      next: () => Math.floor(index++ / size) * gapMs,
    };
  }
  const durationMs = (deliveriesPerAgent / model.ratePerAgent) * 1000;
  const meanGapMs = durationMs / totalMessages;
  if (model.process === 'constant') {
    // index * gap rather than a running sum, so rounding errors do not accumulate over a million messages.
    return { plannedDurationMs: durationMs, next: () => index++ * meanGapMs };
  }
  let time = 0;
  return {
    plannedDurationMs: durationMs,
    next: () => {
      if (index++ > 0) time -= Math.log(1 - random.nextFloat()) * meanGapMs;
      return time;
    },
  };
}
