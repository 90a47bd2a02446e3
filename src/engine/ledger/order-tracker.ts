import {
  ENQUEUE_ACCEPTED,
  ENQUEUE_MASK,
  type LedgerTables,
  MESSAGE_URGENT,
  UNIT_CHECKED,
  UNIT_STARTED,
} from './ledger-tables.ts';
import { RecipientOrder } from './recipient-order.ts';

/** How many units broke an order rule, with a few described examples. */
export interface OrderCheckResult {
  readonly count: number;
  readonly examples: string[];
}

/**
 * Judges the order rules while the run goes, so no unit's times outlive it:
 * - stream order: a unit's first attempt must not start strictly before that of an earlier-accepted unit of the
 *   same (sender, recipient, priority) stream;
 * - priority: an urgent unit must not start strictly after a later-accepted regular unit to the same recipient.
 *
 * Units are judged per recipient in accept order, each once its first start is known; the unit at the head of a
 * recipient's line that has not started holds back the ones behind it, since it may still start later. Starts are
 * reported in clock order (the ledger refuses one that goes back), so a judged start is final and a regular unit
 * not started yet can only start at or after every start judged so far: once no started regular unit of a
 * recipient waits to be judged, no urgent unit judged so far can be overtaken and they are forgotten. Units never
 * started are skipped, retries do not count (only first starts), and equal starts are concurrent, not a
 * violation. The result is exactly that of judging every unit at the end in accept order.
 */
export class OrderTracker {
  readonly #t: LedgerTables;
  readonly #runId: string;
  readonly #maxExamples: number;
  readonly #orders: (RecipientOrder | undefined)[] = [];
  #orderCount = 0;
  readonly #orderExamples: string[] = [];
  #priorityCount = 0;
  readonly #priorityExamples: string[] = [];

  constructor(tables: LedgerTables, runId: string, maxExamples: number) {
    this.#t = tables;
    this.#runId = runId;
    this.#maxExamples = maxExamples;
  }

  /** The target accepted `message`: its units join their recipients' lines. */
  accepted(message: number): void {
    const t = this.#t;
    const start = t.messageStart[message]!;
    const end = start + t.messageUnits[message]!;
    for (let unit = start; unit < end; unit++) {
      const order = this.#orderOf(t.unitRecipient[unit]!);
      order.push(unit, message);
      // A line's head is never a started unit: a unit started before it was accepted is judged at once.
      if (order.size === 1 && (t.unitFlags[unit]! & UNIT_STARTED) !== 0) this.#drain(order);
    }
  }

  /** The first attempt of `unit` (of `message`) started; its time is in the window. */
  started(unit: number, message: number): void {
    const t = this.#t;
    if ((t.unitFlags[unit]! & UNIT_CHECKED) !== 0) return;
    const order = this.#orderOf(t.unitRecipient[unit]!);
    const flags = t.messageFlags[message]!;
    if ((flags & MESSAGE_URGENT) === 0) order.pendingRegular++;
    if ((flags & ENQUEUE_MASK) === ENQUEUE_ACCEPTED && order.size > 0 && order.headUnit() === unit) {
      this.#drain(order);
    }
  }

  /** The target refused `message`: its units take no part in the order rules. */
  refused(message: number): void {
    const t = this.#t;
    const start = t.messageStart[message]!;
    const end = start + t.messageUnits[message]!;
    const urgent = (t.messageFlags[message]! & MESSAGE_URGENT) !== 0;
    for (let unit = start; unit < end; unit++) {
      const flags = t.unitFlags[unit]!;
      if ((flags & UNIT_CHECKED) !== 0) continue;
      t.unitFlags[unit] = flags | UNIT_CHECKED;
      if (!urgent && (flags & UNIT_STARTED) !== 0) this.#orderOf(t.unitRecipient[unit]!).pendingRegular--;
      t.releaseIfDone(unit, message);
    }
  }

  /** Judges every unit still waiting (the run is over: one not started never will) and returns the results. */
  finish(): { order: OrderCheckResult; priority: OrderCheckResult } {
    const t = this.#t;
    for (const order of this.#orders) {
      while (order !== undefined && order.size > 0) {
        const unit = order.headUnit();
        const message = order.headMessage();
        order.shift();
        if ((t.unitFlags[unit]! & UNIT_STARTED) !== 0) this.#judge(order, unit, message);
        else t.unitFlags[unit]! |= UNIT_CHECKED;
      }
    }
    return {
      order: { count: this.#orderCount, examples: [...this.#orderExamples] },
      priority: { count: this.#priorityCount, examples: [...this.#priorityExamples] },
    };
  }

  #orderOf(recipient: number): RecipientOrder {
    return this.#orders[recipient] ?? this.#newOrder(recipient);
  }

  #newOrder(recipient: number): RecipientOrder {
    const order = new RecipientOrder();
    this.#orders[recipient] = order;
    return order;
  }

  /** Judges the started units at the head of a recipient's line. */
  #drain(order: RecipientOrder): void {
    const flags = this.#t.unitFlags;
    while (order.size > 0) {
      const unit = order.headUnit();
      if ((flags[unit]! & UNIT_STARTED) === 0) break;
      const message = order.headMessage();
      order.shift();
      this.#judge(order, unit, message);
    }
    // Every started regular unit is judged: any later one starts at or after these urgent units did.
    if (order.pendingRegular === 0) order.urgentCount = 0;
  }

  /** Judges a started unit against the units accepted before it to the same recipient. */
  #judge(order: RecipientOrder, unit: number, message: number): void {
    const t = this.#t;
    t.unitFlags[unit]! |= UNIT_CHECKED;
    const began = t.window.startOf(unit);
    const urgent = (t.messageFlags[message]! & MESSAGE_URGENT) !== 0;
    const overtaken = order.overtakes(t.messageSender[message]!, urgent ? 1 : 0, began, message);
    if (overtaken >= 0) {
      this.#orderCount++;
      if (this.#orderExamples.length < this.#maxExamples) {
        this.#orderExamples.push(
          `${t.describe(this.#runId, message, unit)} (started before earlier-accepted ${this.#runId}-${overtaken})`,
        );
      }
    }
    if (urgent) order.addUrgent(began, unit, message);
    else {
      order.pendingRegular--;
      // Every earlier-accepted urgent unit that started strictly after this regular one was overtaken by it.
      const { urgentStart, urgentUnit, urgentMessage } = order;
      while (order.urgentCount > 0 && urgentStart[order.urgentCount - 1]! > began) {
        const last = --order.urgentCount;
        this.#priorityCount++;
        if (this.#priorityExamples.length < this.#maxExamples) {
          const late = t.describe(this.#runId, urgentMessage[last]!, urgentUnit[last]!);
          this.#priorityExamples.push(`${late} (overtaken by later regular ${this.#runId}-${message})`);
        }
      }
    }
    t.releaseIfDone(unit, message);
  }
}
