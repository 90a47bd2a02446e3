import { invalidOption, isSafeAgentId } from '../../protocol/index.ts';
import {
  ALL_CHAOS_KINDS,
  BROKER_CHAOS_KINDS,
  CHAOS_OUTCOME_KINDS,
  CHAOS_RATE_KINDS,
  type ChaosEvent,
  type ChaosKind,
  type ChaosRange,
  type ChaosRates,
  DEFAULT_SLOW,
  DEFAULT_SPIKE,
  type ResolvedChaosSchedule,
} from './chaos-schedule.ts';

const MAX_MS = 86_400_000;
const MAX_BURST = 10_000_000;
// Kinds the runner or the target executes at one instant; only windows must last at least 1 ms.
const RUN_LEVEL: readonly ChaosKind[] = [
  'crash_restart',
  'saturation_burst',
  'broker_restart',
  'worker_crash',
];
const NOT_PER_AGENT: readonly ChaosKind[] = [
  'crash_restart',
  'store_write_failure',
  'saturation_burst',
  ...BROKER_CHAOS_KINDS,
];
const list = (values: readonly string[]): string => values.map((v) => `"${v}"`).join(', ');

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function rejectUnknownKeys(value: Record<string, unknown>, known: readonly string[], path: string): void {
  for (const key of Object.keys(value)) {
    if (!known.includes(key))
      throw invalidOption(`${path}.${key}`, `absent (known keys: ${list(known)})`, value[key]);
  }
}

function ms(value: unknown, path: string, positive = false): number {
  if (typeof value !== 'number' || !(value >= 0 && value <= MAX_MS) || (positive && value === 0)) {
    const range = positive ? `above 0 and at most ${MAX_MS}` : `from 0 to ${MAX_MS}`;
    throw invalidOption(path, `a number of milliseconds ${range}`, value);
  }
  return value;
}

function resolveRates(input: unknown, path: string): ChaosRates {
  if (input === undefined) return {};
  if (!isObject(input)) throw invalidOption(path, 'an object of probabilities by fault kind', input);
  rejectUnknownKeys(input, CHAOS_RATE_KINDS, path);
  const rates: Partial<Record<string, number>> = {};
  for (const kind of CHAOS_RATE_KINDS) {
    const rate = input[kind];
    if (rate === undefined) continue;
    if (typeof rate !== 'number' || !(rate >= 0 && rate <= 1)) {
      throw invalidOption(`${path}.${kind}`, 'a probability from 0 to 1', rate);
    }
    rates[kind] = rate;
  }
  let outcomeTotal = 0;
  for (const kind of CHAOS_OUTCOME_KINDS) outcomeTotal += rates[kind] ?? 0;
  if (outcomeTotal > 1 + 1e-9) {
    throw invalidOption(
      path,
      `outcome rates (${list(CHAOS_OUTCOME_KINDS)}) summing to at most 1, since one draw picks at most one`,
      outcomeTotal,
    );
  }
  return rates;
}

function resolveRange(input: unknown, fallback: ChaosRange, path: string): ChaosRange {
  if (input === undefined) return fallback;
  if (!isObject(input)) throw invalidOption(path, 'an object `{ minMs, maxMs }`', input);
  rejectUnknownKeys(input, ['minMs', 'maxMs'], path);
  const minMs = ms(input.minMs, `${path}.minMs`);
  const maxMs = ms(input.maxMs, `${path}.maxMs`);
  if (maxMs < minMs) throw invalidOption(`${path}.maxMs`, `at least \`minMs\` (${minMs})`, maxMs);
  return { minMs, maxMs };
}

function resolveEvent(input: unknown, path: string): ChaosEvent {
  if (!isObject(input)) throw invalidOption(path, 'a chaos event object `{ atMs, kind, ... }`', input);
  rejectUnknownKeys(input, ['atMs', 'kind', 'durationMs', 'agent', 'count'], path);
  const kind = input.kind as ChaosKind;
  if (!ALL_CHAOS_KINDS.includes(kind))
    throw invalidOption(`${path}.kind`, `one of ${list(ALL_CHAOS_KINDS)}`, kind);
  const event: { -readonly [K in keyof ChaosEvent]: ChaosEvent[K] } = {
    atMs: ms(input.atMs, `${path}.atMs`),
    kind,
  };
  const runLevel = RUN_LEVEL.includes(kind);
  if (kind === 'saturation_burst' && input.durationMs !== undefined) {
    throw invalidOption(
      `${path}.durationMs`,
      'absent for "saturation_burst" (it sends `count` messages at once)',
      input.durationMs,
    );
  }
  if (kind === 'connection_drop' && input.durationMs !== undefined) {
    throw invalidOption(
      `${path}.durationMs`,
      'absent for "connection_drop" (it cuts every connection once)',
      input.durationMs,
    );
  }
  if (kind !== 'connection_drop' && (input.durationMs !== undefined || !runLevel)) {
    // A window of zero length would never be active, which is surely a mistake.
    event.durationMs = ms(input.durationMs, `${path}.durationMs`, !runLevel);
  }
  if (input.agent !== undefined) {
    if (NOT_PER_AGENT.includes(kind)) {
      throw invalidOption(`${path}.agent`, `absent for "${kind}" (it is not about one agent)`, input.agent);
    }
    if (!isSafeAgentId(input.agent)) throw invalidOption(`${path}.agent`, 'a safe agent id', input.agent);
    event.agent = input.agent;
  }
  if (kind === 'saturation_burst') {
    const count = input.count;
    if (typeof count !== 'number' || !Number.isInteger(count) || count < 1 || count > MAX_BURST) {
      throw invalidOption(`${path}.count`, `an integer from 1 to ${MAX_BURST}`, count);
    }
    event.count = count;
  } else if (input.count !== undefined) {
    throw invalidOption(`${path}.count`, 'absent (only "saturation_burst" takes a count)', input.count);
  }
  return event;
}

/**
 * Checks a chaos schedule from user input and fills its defaults; throws `ERR_INVALID_OPTION` naming the
 * exact field (e.g. `chaos.events[2].durationMs`), what was expected and what was received.
 */
export function validateChaosSchedule(input: unknown, path = 'chaos'): ResolvedChaosSchedule {
  if (input === undefined) return { rates: {}, spike: DEFAULT_SPIKE, slow: DEFAULT_SLOW, events: [] };
  if (!isObject(input))
    throw invalidOption(path, 'a chaos schedule object `{ rates, spike, slow, events }`', input);
  rejectUnknownKeys(input, ['rates', 'spike', 'slow', 'events'], path);
  const rates = resolveRates(input.rates, `${path}.rates`);
  const spike = resolveRange(input.spike, DEFAULT_SPIKE, `${path}.spike`);
  const slow = resolveRange(input.slow, DEFAULT_SLOW, `${path}.slow`);
  const rawEvents = input.events ?? [];
  if (!Array.isArray(rawEvents)) throw invalidOption(`${path}.events`, 'an array of chaos events', rawEvents);
  const events = rawEvents
    .map((event, i) => resolveEvent(event, `${path}.events[${i}]`))
    .sort((a, b) => a.atMs - b.atMs);
  return { rates, spike, slow, events };
}
