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

// Streams are keyed (sender, recipient, priority); below this many keys the table is a plain array.
const DENSE_KEYS = 1 << 22;

/**
 * Counts units whose first attempt started strictly before the first attempt of an earlier-accepted unit of
 * the same (sender, recipient, priority) stream. Start times, not completion order, because a concurrent
 * processor legitimately finishes out of order; equal start times count as concurrent, not as a violation;
 * retries are ignored because only the earliest attempt of a unit is kept.
 */
export function checkStreamOrder(tables: LedgerTables, runId: string, maxExamples: number): OrderCheckResult {
  const t = tables;
  const participants = t.names.length;
  const keys = participants * participants * 2;
  // Per stream: the unit with the latest first-attempt start among those accepted so far (-1: none yet).
  const dense = keys <= DENSE_KEYS ? new Int32Array(keys).fill(-1) : undefined;
  const sparse = dense === undefined ? new Map<number, number>() : undefined;
  const { acceptOrder, messageStart, messageUnits, messageSender, messagePriority } = t;
  const { unitFirstStart, unitRecipient } = t;
  const examples: string[] = [];
  let count = 0;
  for (let a = 0; a < t.acceptCount; a++) {
    const message = acceptOrder[a]!;
    const start = messageStart[message]!;
    const end = start + messageUnits[message]!;
    const senderKey = messageSender[message]! * participants;
    const priority = messagePriority[message]!;
    for (let unit = start; unit < end; unit++) {
      const began = unitFirstStart[unit]!;
      if (began === Number.POSITIVE_INFINITY) continue;
      const key = (senderKey + unitRecipient[unit]!) * 2 + priority;
      const witness = dense !== undefined ? dense[key]! : (sparse?.get(key) ?? -1);
      if (witness < 0 || unitFirstStart[witness]! <= began) {
        if (dense !== undefined) dense[key] = unit;
        else sparse?.set(key, unit);
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
  const { acceptOrder, messageStart, messageUnits, messagePriority, unitFirstStart, unitRecipient } = t;
  const examples: string[] = [];
  let count = 0;
  for (let a = t.acceptCount - 1; a >= 0; a--) {
    const message = acceptOrder[a]!;
    const start = messageStart[message]!;
    const end = start + messageUnits[message]!;
    const priority = messagePriority[message]!;
    for (let unit = start; unit < end; unit++) {
      const began = unitFirstStart[unit]!;
      if (began === Number.POSITIVE_INFINITY) continue;
      const recipient = unitRecipient[unit]!;
      const regular = earliestRegular[recipient]!;
      if (priority === PRIORITY_URGENT && regular >= 0 && unitFirstStart[regular]! < began) {
        count++;
        if (examples.length < maxExamples) {
          const overtaker = `${runId}-${t.unitMessage[regular]}`;
          examples.push(`${describeUnit(t, runId, unit)} (overtaken by later regular ${overtaker})`);
        }
      } else if (priority === PRIORITY_REGULAR && (regular < 0 || began < unitFirstStart[regular]!)) {
        earliestRegular[recipient] = unit;
      }
    }
  }
  return { count, examples };
}
