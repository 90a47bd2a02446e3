import { StressError } from '../../protocol/index.ts';
import { CountColumn } from './count-column.ts';
import { UnitWindow } from './unit-window.ts';

/** Enqueue outcome of a message (the low bits of {@link LedgerTables.messageFlags}): not settled yet. */
export const ENQUEUE_UNSETTLED = 0;
/** Enqueue outcome: the target accepted the message. */
export const ENQUEUE_ACCEPTED = 1;
/** Enqueue outcome: the target refused the message (backpressure or a failed write). */
export const ENQUEUE_REJECTED = 2;
/** Mask of the enqueue outcome in a message's flags. */
export const ENQUEUE_MASK = 3;
/** Message flag: the message is urgent (else regular). */
export const MESSAGE_URGENT = 4;

/** Unit flag: an attempt of the unit started (its first start is in the {@link UnitWindow}). */
export const UNIT_STARTED = 1;
/** Unit flag: the target dead-lettered the unit. */
export const UNIT_DEAD_LETTERED = 2;
/** Unit flag: the order checks are done with the unit (it was judged, or its message was refused). */
export const UNIT_CHECKED = 4;
/** Unit flag: the unit's times were released from the {@link UnitWindow}. */
export const UNIT_RELEASED = 8;

/** Participant ids are 16-bit. */
const MAX_PARTICIPANTS = 0xffff;

function grown<T extends Int32Array | Uint16Array | Uint8Array>(array: T, length: number): T {
  const next = new (array.constructor as new (length: number) => T)(length);
  next.set(array);
  return next;
}

/**
 * The ledger's memory, in typed arrays and no object per message: per message (by its index) its first unit,
 * unit count, sender and flags, 9 bytes; per unit (in send order) its recipient, deliveries, the core's own
 * deliveries and flags, 5 bytes. Times live in the {@link UnitWindow} only while a unit is open, so at the
 * default mix (0.775 messages per unit) a settled unit costs about 12 bytes.
 */
export class LedgerTables {
  /** Highest message index sent, plus one. */
  messageCount = 0;
  unitCount = 0;
  /** First unit of each message, or -1 when the message was never sent. */
  messageStart: Int32Array;
  messageUnits: Uint16Array;
  messageSender: Uint16Array;
  /** Enqueue outcome ({@link ENQUEUE_MASK}) and {@link MESSAGE_URGENT}. */
  messageFlags: Uint8Array;
  unitRecipient: Uint16Array;
  /** Deliveries that reached the recipient, duplicates included. */
  readonly unitDeliveries: CountColumn;
  /**
   * Deliveries of the unit the mock core itself caused: the copy of a `duplicate_delivery`, and one redelivery
   * per `delivered_reported_failed` (the core lied that the delivery failed, so a correct processor retries).
   */
  readonly unitCoreDuplicates: CountColumn;
  /** `UNIT_*` flags. */
  unitFlags: Uint8Array;
  /** Send times and first starts of the units still open. */
  readonly window = new UnitWindow();
  /** Participant names by id (senders and recipients). */
  readonly names: string[] = [];
  readonly ids = new Map<string, number>();

  constructor(messages: number, units: number) {
    const m = Math.max(16, messages);
    const u = Math.max(16, units);
    this.messageStart = new Int32Array(m).fill(-1);
    this.messageUnits = new Uint16Array(m);
    this.messageSender = new Uint16Array(m);
    this.messageFlags = new Uint8Array(m);
    this.unitRecipient = new Uint16Array(u);
    this.unitDeliveries = new CountColumn(u);
    this.unitCoreDuplicates = new CountColumn(u);
    this.unitFlags = new Uint8Array(u);
  }

  /** The id of a participant name, interning it on first sight. */
  intern(name: string): number {
    let id = this.ids.get(name);
    if (id === undefined) {
      id = this.names.length;
      if (id >= MAX_PARTICIPANTS) {
        throw new StressError(
          'ERR_INVALID_MESSAGE',
          `Expected at most ${MAX_PARTICIPANTS} senders and recipients in one run, got more (at ${JSON.stringify(name)}).`,
        );
      }
      this.names.push(name);
      this.ids.set(name, id);
    }
    return id;
  }

  /** Makes room for message index `index`. */
  ensureMessage(index: number): void {
    const capacity = this.messageStart.length;
    if (index < capacity) return;
    const length = Math.max(index + 1, capacity * 2);
    this.messageStart = grown(this.messageStart, length).fill(-1, capacity);
    this.messageUnits = grown(this.messageUnits, length);
    this.messageSender = grown(this.messageSender, length);
    this.messageFlags = grown(this.messageFlags, length);
  }

  /** Makes room for `extra` more units. */
  ensureUnits(extra: number): void {
    const capacity = this.unitRecipient.length;
    const needed = this.unitCount + extra;
    if (needed <= capacity) return;
    const length = Math.max(needed, capacity * 2);
    this.unitRecipient = grown(this.unitRecipient, length);
    this.unitDeliveries.grow(length);
    this.unitCoreDuplicates.grow(length);
    this.unitFlags = grown(this.unitFlags, length);
  }

  /** Whether message `index` was sent. */
  wasSent(index: number): boolean {
    return index >= 0 && index < this.messageCount && this.messageStart[index]! >= 0;
  }

  /** Describes a unit for a report: `<runId>-<message> -> <recipient>`. */
  describe(runId: string, message: number, unit: number): string {
    return `${runId}-${message} -> ${this.names[this.unitRecipient[unit]!]}`;
  }

  /**
   * Frees the unit's times once nothing can ask for them again: the order checks are done with it, and it was
   * delivered, dead-lettered or refused (only an unresolved unit is named lost or stuck, with its times).
   */
  releaseIfDone(unit: number, message: number): void {
    const flags = this.unitFlags[unit]!;
    if ((flags & (UNIT_CHECKED | UNIT_RELEASED)) !== UNIT_CHECKED) return;
    if (
      (flags & UNIT_DEAD_LETTERED) === 0 &&
      this.unitDeliveries.get(unit) === 0 &&
      (this.messageFlags[message]! & ENQUEUE_MASK) !== ENQUEUE_REJECTED
    ) {
      return;
    }
    this.unitFlags[unit] = flags | UNIT_RELEASED;
    this.window.release(unit);
  }

  /** The unit of message `index` addressed to participant `recipient`, or -1. */
  unitOf(index: number, recipient: number): number {
    if (!this.wasSent(index)) return -1;
    const start = this.messageStart[index]!;
    const end = start + this.messageUnits[index]!;
    if (start === end) return -1;
    // Broadcasts list the agents in interning order, so the recipient id usually points straight at its unit.
    const guess = start + recipient - this.unitRecipient[start]!;
    if (guess >= start && guess < end && this.unitRecipient[guess] === recipient) return guess;
    for (let unit = start; unit < end; unit++) if (this.unitRecipient[unit] === recipient) return unit;
    return -1;
  }
}
