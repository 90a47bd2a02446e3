import { type LedgerTables, PRIORITY_REGULAR, PRIORITY_URGENT } from './ledger-tables.ts';

/** How many units broke an order rule, with a few described examples. */
export interface OrderCheckResult {
  readonly count: number;
  readonly examples: string[];
}

/** Describes a unit for a report: `<messageId> -> <recipient>`. */
export function describeUnit(tables: LedgerTables, runId: string, unit: number): string {
  return `${runId}-${tables.unitMessage[unit]} -> ${tables.names[tables.unitRecipient[unit]!]}`;
}

/** A table from stream key to unit (-1 when absent): a dense array while the key space is small, else a map. */
interface StreamTable {
  get(key: number): number;
  set(key: number, unit: number): void;
}

const DENSE_KEYS = 1 << 22;

function streamTable(keys: number): StreamTable {
  if (keys <= DENSE_KEYS) {
    const units = new Int32Array(keys).fill(-1);
    return {
      get: (key) => units[key]!,
      set: (key, unit) => {
        units[key] = unit;
      },
    };
  }
  const units = new Map<number, number>();
  return { get: (key) => units.get(key) ?? -1, set: (key, unit) => void units.set(key, unit) };
}

/**
 * Counts units whose first attempt started strictly before the first attempt of an earlier-accepted unit of
 * the same (sender, recipient, priority) stream. Start times, not completion order, because a concurrent
 * processor legitimately finishes out of order; equal start times count as concurrent, not as a violation;
 * retries are ignored because only the earliest attempt of a unit is kept.
 */
export function checkStreamOrder(tables: LedgerTables, runId: string, maxExamples: number): OrderCheckResult {
  const t = tables;
  const participants = t.names.length;
  // Per stream: the unit with the latest first-attempt start among those accepted so far.
  const latest = streamTable(participants * participants * 2);
  const examples: string[] = [];
  let count = 0;
  for (let a = 0; a < t.acceptCount; a++) {
    const message = t.acceptOrder[a]!;
    const start = t.messageStart[message]!;
    const end = start + t.messageUnits[message]!;
    const senderKey = t.messageSender[message]! * participants;
    for (let unit = start; unit < end; unit++) {
      const began = t.unitFirstStart[unit]!;
      if (began === Number.POSITIVE_INFINITY) continue;
      const key = (senderKey + t.unitRecipient[unit]!) * 2 + t.messagePriority[message]!;
      const witness = latest.get(key);
      if (witness < 0 || t.unitFirstStart[witness]! <= began) {
        latest.set(key, unit);
      } else {
        count++;
        if (examples.length < maxExamples) {
          const overtaken = `${runId}-${t.unitMessage[witness]}`;
          examples.push(`${describeUnit(t, runId, unit)} (started before earlier-accepted ${overtaken})`);
        }
      }
    }
  }
  return { count, examples };
}

/**
 * Counts urgent units that a later-accepted regular unit to the same recipient overtook: the regular unit's
 * first attempt started strictly before the urgent one's. Scoped per recipient so a broadcast fanned out
 * over many agents is not flagged against unrelated agents' traffic.
 */
export function checkPriority(tables: LedgerTables, runId: string, maxExamples: number): OrderCheckResult {
  const t = tables;
  // Per recipient: the earliest-started regular unit among those accepted after the current position.
  const earliestRegular = new Int32Array(t.names.length).fill(-1);
  const examples: string[] = [];
  let count = 0;
  for (let a = t.acceptCount - 1; a >= 0; a--) {
    const message = t.acceptOrder[a]!;
    const start = t.messageStart[message]!;
    const end = start + t.messageUnits[message]!;
    const priority = t.messagePriority[message]!;
    for (let unit = start; unit < end; unit++) {
      const began = t.unitFirstStart[unit]!;
      if (began === Number.POSITIVE_INFINITY) continue;
      const recipient = t.unitRecipient[unit]!;
      const regular = earliestRegular[recipient]!;
      if (priority === PRIORITY_URGENT && regular >= 0 && t.unitFirstStart[regular]! < began) {
        count++;
        if (examples.length < maxExamples) {
          const overtaker = `${runId}-${t.unitMessage[regular]}`;
          examples.push(`${describeUnit(t, runId, unit)} (overtaken by later regular ${overtaker})`);
        }
      } else if (priority === PRIORITY_REGULAR && (regular < 0 || began < t.unitFirstStart[regular]!)) {
        earliestRegular[recipient] = unit;
      }
    }
  }
  return { count, examples };
}
