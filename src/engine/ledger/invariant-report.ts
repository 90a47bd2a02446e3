import type { InspectionUnit } from '../runner/stress-target.ts';
import type { DeliveryProfile, ResolvedDeliveryLedgerOptions } from './delivery-ledger-options.ts';
import {
  ENQUEUE_ACCEPTED,
  ENQUEUE_MASK,
  ENQUEUE_REJECTED,
  type LedgerTables,
  UNIT_DEAD_LETTERED,
} from './ledger-tables.ts';
import type { OrderCheckResult } from './order-tracker.ts';

/** What the target still held after the final drain (its `inspect()`), in `unit`. */
export interface LedgerFinish {
  readonly pending: number;
  readonly processing: number;
  /** What `pending` and `processing` count; see {@link InspectionUnit}. @default 'entry' */
  readonly unit?: InspectionUnit;
  /** The run was cut short (aborted): units mid-attempt are in flight, not stuck. @default false */
  readonly interrupted?: boolean;
}

/**
 * Where every sent unit ended, each counted once in the first class that applies: delivered (at least once,
 * even if also dead-lettered or rejected), dead-lettered, rejected, pending, in flight, indeterminate (enqueue
 * never settled, nothing known), lost (accepted and none of the above). By construction
 * `sent = delivered + dead_lettered + rejected + pending + in_flight + indeterminate + lost`, and the ledger
 * holds iff `sent = delivered + dead_lettered + rejected + pending`.
 */
export interface Conservation {
  readonly sent: number;
  readonly delivered: number;
  readonly dead_lettered: number;
  readonly rejected: number;
  readonly pending: number;
  readonly in_flight: number;
  readonly indeterminate: number;
  readonly lost: number;
  readonly holds: boolean;
}

/** The delivery ledger's verdict on a run, JSON-plain; counts are delivery units unless named otherwise. */
export interface InvariantReport {
  readonly profile: DeliveryProfile;
  readonly checks: { readonly order: boolean; readonly priority: boolean };
  /** True when nothing was lost, unexpected or stuck, conservation holds and every enabled check passed. */
  readonly valid: boolean;
  /** One readable sentence per broken invariant. */
  readonly violations: readonly string[];
  readonly sent: number;
  /** Units whose enqueue the target acknowledged. */
  readonly accepted: number;
  /** Units whose enqueue the target refused (delivered ones included: see `recovered`). */
  readonly rejected: number;
  /** Units whose enqueue never settled. */
  readonly indeterminate: number;
  /** Units delivered at least once. */
  readonly delivered: number;
  /** Deliveries that reached a recipient, duplicates included. */
  readonly deliveries: number;
  /** Calls to the core for known units, whatever their outcome. */
  readonly attempts: number;
  /** Accepted units never delivered nor dead-lettered and not held by the target at the end. */
  readonly lost: number;
  /**
   * Units the processor delivered more than once: deliveries beyond the first that the mock core did not cause
   * itself (its `duplicate_delivery` copies, and one redelivery per `delivered_reported_failed`, are the core's).
   * This is what `exactly-once` judges.
   */
  readonly duplicated: number;
  /** Deliveries beyond each unit's first, whoever caused them (the core's own duplicates included). */
  readonly duplicate_deliveries: number;
  /** Attempts and dead letters for units that were never sent. */
  readonly unexpected: number;
  /** Units delivered although their enqueue was refused or never settled. */
  readonly recovered: number;
  /** Units the target gave up on and never delivered. */
  readonly dead_lettered: number;
  readonly pending: number;
  /** Units the target reported as mid-attempt after the final drain. */
  readonly stuck: number;
  readonly order_violations: number;
  readonly priority_inversions: number;
  readonly conservation: Conservation;
  /**
   * A few `<messageId> -> <recipient>` examples per anomaly, for debugging. When the target still holds some
   * units, which unresolved units are the lost ones is unknown: `lost` then lists candidates.
   */
  readonly examples: {
    readonly lost: readonly string[];
    readonly duplicated: readonly string[];
    readonly unexpected: readonly string[];
    readonly recovered: readonly string[];
    readonly order_violations: readonly string[];
    readonly priority_inversions: readonly string[];
  };
}

/** Counters the ledger keeps outside its tables. */
export interface LedgerCounters extends ResolvedDeliveryLedgerOptions {
  readonly unexpected: number;
  readonly unexpectedExamples: readonly string[];
  readonly attempts: number;
  readonly deliveries: number;
}

const plural = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`;
const eg = (examples: readonly string[]): string =>
  examples.length > 0 ? ` (e.g. ${examples.join(', ')})` : '';

/**
 * Reads `pending` then `processing` entries as the unresolved units of that many messages, the largest first:
 * an upper bound on what the target holds, so no loss is invented for a broadcast it still holds whole.
 */
function entriesAsUnits(
  unresolvedOf: ReadonlyMap<number, number>,
  pending: number,
  processing: number,
): [number, number] {
  const sizes = [...unresolvedOf.values()].sort((a, b) => b - a);
  const p = Math.max(0, Math.floor(pending));
  const q = Math.max(0, Math.floor(processing));
  let pendingUnits = 0;
  let processingUnits = 0;
  for (let i = 0; i < sizes.length && i < p + q; i++) {
    if (i < p) pendingUnits += sizes[i]!;
    else processingUnits += sizes[i]!;
  }
  return [pendingUnits, processingUnits];
}

/** Classifies every unit and checks the invariants; see {@link InvariantReport}. */
export function buildInvariantReport(
  t: LedgerTables,
  end: LedgerFinish,
  judged: { readonly order: OrderCheckResult; readonly priority: OrderCheckResult },
  c: LedgerCounters,
): InvariantReport {
  const max = c.maxExamples;
  const ex = { lost: [] as string[], duplicated: [] as string[], recovered: [] as string[] };
  // Unresolved units per message, to read a target's counts of entries as delivery units.
  const byEntry = end.unit !== 'unit' && end.pending + end.processing > 0;
  const unresolvedOf = new Map<number, number>();
  let sent = 0;
  let accepted = 0;
  let rejected = 0;
  let delivered = 0;
  let duplicated = 0;
  let extra = 0;
  let processorExtra = 0;
  let recovered = 0;
  let deadLettered = 0;
  let rejectedOnly = 0;
  let unresolvedAccepted = 0;
  let unresolvedUnsettled = 0;
  // The tables in locals, so the loop reads straight from the arrays.
  const { messageStart, messageUnits, messageFlags, unitFlags, unitDeliveries, unitCoreDuplicates } = t;
  for (let message = 0; message < t.messageCount; message++) {
    const first = messageStart[message]!;
    if (first < 0) continue;
    const enqueue = messageFlags[message]! & ENQUEUE_MASK;
    for (let unit = first; unit < first + messageUnits[message]!; unit++) {
      const deliveries = unitDeliveries.get(unit);
      sent++;
      if (enqueue === ENQUEUE_ACCEPTED) accepted++;
      else if (enqueue === ENQUEUE_REJECTED) rejected++;
      if (deliveries > 0) {
        delivered++;
        if (deliveries > 1) {
          extra += deliveries - 1;
          const core = unitCoreDuplicates.get(unit);
          if (deliveries - 1 > core) {
            duplicated++;
            processorExtra += deliveries - 1 - core;
            if (ex.duplicated.length < max) {
              const coreNote = core > 0 ? `, ${core} by the core` : '';
              ex.duplicated.push(`${t.describe(c.runId, message, unit)} x${deliveries}${coreNote}`);
            }
          }
        }
        if (enqueue !== ENQUEUE_ACCEPTED) {
          recovered++;
          if (ex.recovered.length < max) ex.recovered.push(t.describe(c.runId, message, unit));
        }
      } else if ((unitFlags[unit]! & UNIT_DEAD_LETTERED) !== 0) deadLettered++;
      else if (enqueue === ENQUEUE_REJECTED) rejectedOnly++;
      else {
        if (enqueue === ENQUEUE_ACCEPTED) {
          unresolvedAccepted++;
          if (ex.lost.length < max) ex.lost.push(t.describe(c.runId, message, unit));
        } else unresolvedUnsettled++;
        if (byEntry) unresolvedOf.set(message, (unresolvedOf.get(message) ?? 0) + 1);
      }
    }
  }
  const pool = unresolvedAccepted + unresolvedUnsettled;
  const [heldPending, heldProcessing] = byEntry
    ? entriesAsUnits(unresolvedOf, end.pending, end.processing)
    : [end.pending, end.processing];
  const pending = Math.min(Math.max(0, heldPending), pool);
  const inFlight = Math.min(Math.max(0, heldProcessing), pool - pending);
  const indeterminate = Math.min(unresolvedUnsettled, pool - pending - inFlight);
  const lost = pool - pending - inFlight - indeterminate;
  const conservation: Conservation = {
    sent,
    delivered,
    dead_lettered: deadLettered,
    rejected: rejectedOnly,
    pending,
    in_flight: inFlight,
    indeterminate,
    lost,
    holds: sent === delivered + deadLettered + rejectedOnly + pending,
  };
  const { order, priority } = judged;
  // Held mid-attempt after the drain, capped by what was sent: a target's count beyond that is not units.
  const stuck =
    end.interrupted === true ? 0 : Math.min(sent, Math.max(0, heldProcessing, Math.floor(end.processing)));
  const violations: string[] = [];
  if (lost > 0) {
    violations.push(
      `${plural(lost, 'delivery unit was', 'delivery units were')} lost: accepted, then never delivered nor ` +
        `dead-lettered${eg(pending + inFlight > 0 ? [] : ex.lost)}.`,
    );
  }
  if (c.unexpected > 0) {
    violations.push(
      `${plural(c.unexpected, 'delivery event was', 'delivery events were')} unexpected: for a message or ` +
        `recipient that was never sent${eg(c.unexpectedExamples)}.`,
    );
  }
  if (stuck > 0) {
    // Which unresolved units are the stuck ones is the target's to say; the unresolved ones are the candidates.
    violations.push(
      `${plural(stuck, 'delivery unit was', 'delivery units were')} still processing after the final drain` +
        `${eg(ex.lost)}.`,
    );
  }
  if (!conservation.holds) {
    violations.push(
      `Conservation broken: sent ${sent} != delivered ${delivered} + dead-lettered ${deadLettered} + rejected ` +
        `${rejectedOnly} + pending ${pending} (lost ${lost}, in flight ${inFlight}, indeterminate ${indeterminate}).`,
    );
  }
  if (c.profile === 'exactly-once' && duplicated > 0) {
    violations.push(
      `${plural(duplicated, 'unit was', 'units were')} delivered more than once by the processor ` +
        `(${processorExtra} extra, not counting the mock core's own duplicates) under exactly-once${eg(ex.duplicated)}.`,
    );
  }
  if (c.checkOrder && order.count > 0) {
    violations.push(
      `${plural(order.count, 'order violation', 'order violations')}: a first attempt started before that of ` +
        `an earlier-accepted unit of the same sender, recipient and priority${eg(order.examples)}.`,
    );
  }
  if (c.checkPriority && priority.count > 0) {
    violations.push(
      `${plural(priority.count, 'priority inversion', 'priority inversions')}: an urgent unit started after a ` +
        `regular unit to the same recipient accepted later${eg(priority.examples)}.`,
    );
  }
  return {
    profile: c.profile,
    checks: { order: c.checkOrder, priority: c.checkPriority },
    valid: violations.length === 0,
    violations,
    sent,
    accepted,
    rejected,
    indeterminate: sent - accepted - rejected,
    delivered,
    deliveries: c.deliveries,
    attempts: c.attempts,
    lost,
    duplicated,
    duplicate_deliveries: extra,
    unexpected: c.unexpected,
    recovered,
    dead_lettered: deadLettered,
    pending,
    stuck,
    order_violations: order.count,
    priority_inversions: priority.count,
    conservation,
    examples: {
      lost: lost > 0 ? ex.lost : [],
      duplicated: ex.duplicated,
      unexpected: [...c.unexpectedExamples],
      recovered: ex.recovered,
      order_violations: order.examples,
      priority_inversions: priority.examples,
    },
  };
}
