import fc from 'fast-check';
import {
  CHAOS_OUTCOME_KINDS,
  CHAOS_RATE_KINDS,
  type ChaosRateKind,
  type ChaosRates,
  type ChaosSchedule,
} from '../engine/index.ts';
import { invalidOption } from '../protocol/index.ts';
import { type ChaosEventConstraints, chaosEvent, resolveChaosEventConstraints } from './chaos-event.ts';
import { integerShrinkingUp } from './integer-shrinking-up.ts';

/** Constraints of {@link chaosSchedule}: which faults, how often and how many. */
export interface ChaosScheduleConstraints extends ChaosEventConstraints {
  /** Highest rate of one fault kind (0 disables rates). @default 0.1 */
  readonly maxRate?: number;
  /** Most timed events (0 disables them). @default 3 */
  readonly maxEvents?: number;
}

const RATE_STEP = 1000;

function resolveMaxRate(value: unknown): number {
  const rate = value ?? 0.1;
  if (typeof rate !== 'number' || !(rate >= 0 && rate <= 1)) {
    throw invalidOption('maxRate', 'a probability from 0 to 1', rate);
  }
  return rate;
}

/** Scales the outcome rates down when they sum past 1, since one draw picks at most one outcome. */
function capOutcomes(rates: ChaosRates): ChaosRates {
  let total = 0;
  for (const kind of CHAOS_OUTCOME_KINDS) total += rates[kind] ?? 0;
  if (total <= 1) return rates;
  const scaled: ChaosRates = { ...rates };
  for (const kind of CHAOS_OUTCOME_KINDS) {
    const rate = rates[kind];
    if (rate !== undefined) scaled[kind] = Math.floor((rate / total) * RATE_STEP) / RATE_STEP;
  }
  return scaled;
}

/**
 * Chaos schedules (JSON-plain): a few fault rates (in steps of 0.1 %) and a short list of timed events.
 * Shrinking moves towards fewer kinds of fault that strike often, so a bug shows within few messages: each rate
 * towards absent and then towards `maxRate`, the event list towards empty, each event towards time 0, shorter
 * windows and smaller bursts.
 * @example
 * fc.sample(chaosSchedule({ kinds: ['delivery_failure', 'crash_restart'] }), 1);
 * // [{ rates: { delivery_failure: 0.042 }, events: [{ atMs: 1210, kind: 'crash_restart', durationMs: 80 }] }]
 */
export function chaosSchedule(constraints: ChaosScheduleConstraints = {}): fc.Arbitrary<ChaosSchedule> {
  const events = resolveChaosEventConstraints(constraints);
  const maxRate = resolveMaxRate(constraints.maxRate);
  const maxEvents = constraints.maxEvents ?? 3;
  if (!Number.isInteger(maxEvents) || maxEvents < 0 || maxEvents > 1000) {
    throw invalidOption('maxEvents', 'an integer from 0 to 1000', maxEvents);
  }
  const rateKinds = (CHAOS_RATE_KINDS as readonly ChaosRateKind[]).filter((kind) =>
    (events.kinds as readonly string[]).includes(kind),
  );
  const maxSteps = Math.floor(maxRate * RATE_STEP);
  // Absent is the first alternative, so each rate shrinks to absent first; a rate that stays shrinks towards the
  // highest, so the fault strikes often enough to show within the fewest messages.
  const rate = fc.oneof(
    { withCrossShrink: true },
    { arbitrary: fc.constant(undefined), weight: 3 },
    {
      arbitrary: integerShrinkingUp({ min: 1, max: Math.max(1, maxSteps) }).map((steps) => steps / RATE_STEP),
      weight: 1,
    },
  );
  const rates =
    maxSteps === 0 || rateKinds.length === 0
      ? fc.constant<ChaosRates>({})
      : fc.tuple(...rateKinds.map(() => rate)).map((drawn): ChaosRates => {
          const picked: ChaosRates = {};
          rateKinds.forEach((kind, i) => {
            const value = drawn[i];
            if (value !== undefined) picked[kind] = value;
          });
          return capOutcomes(picked);
        });
  const list =
    maxEvents === 0 || events.kinds.length === 0
      ? fc.constant([])
      : fc.array(chaosEvent(events), { maxLength: maxEvents });
  return fc.record({ rates, events: list }).map(({ rates: r, events: e }): ChaosSchedule => {
    const schedule: { rates?: ChaosRates; events?: ChaosSchedule['events'] } = {};
    if (Object.keys(r).length > 0) schedule.rates = r;
    if (e.length > 0) schedule.events = e;
    return schedule;
  });
}
