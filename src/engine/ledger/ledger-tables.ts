/** Enqueue outcome of a message in {@link LedgerTables.messageEnqueue}: the enqueue call has not settled. */
export const ENQUEUE_UNSETTLED = 0;
/** Enqueue outcome: the target accepted the message. */
export const ENQUEUE_ACCEPTED = 1;
/** Enqueue outcome: the target refused the message (backpressure or a failed write). */
export const ENQUEUE_REJECTED = 2;

/** Priority code stored for a regular message. */
export const PRIORITY_REGULAR = 0;
/** Priority code stored for an urgent message. */
export const PRIORITY_URGENT = 1;

function grown<T extends Int32Array | Uint32Array | Uint8Array | Float32Array | Float64Array>(
  array: T,
  length: number,
): T {
  const next = new (array.constructor as new (length: number) => T)(length);
  next.set(array);
  return next;
}

/**
 * The ledger's memory: one typed-array slot per message (indexed by the message's index) and per delivery
 * unit (allocated in send order), so a million units cost about 25 MB and no object per message.
 */
export class LedgerTables {
  /** Highest message index sent, plus one. */
  messageCount = 0;
  unitCount = 0;
  /** First unit of each message, or -1 when the message was never sent. */
  messageStart: Int32Array;
  messageUnits: Int32Array;
  messageSender: Int32Array;
  messagePriority: Uint8Array;
  messageEnqueue: Uint8Array;
  /** Clock time the message was sent (its `createdAt`), to place findings in time; 4 bytes a message. */
  messageSentAt: Float32Array;
  /** Message indexes in the order the target accepted them. */
  acceptOrder: Int32Array;
  acceptCount = 0;
  unitMessage: Int32Array;
  unitRecipient: Int32Array;
  /** Deliveries that reached the recipient, duplicates included. */
  unitDeliveries: Uint32Array;
  /**
   * Deliveries of the unit the mock core itself caused: the copy of a `duplicate_delivery`, and one redelivery
   * per `delivered_reported_failed` (the core lied that the delivery failed, so a correct processor retries).
   */
  unitCoreDuplicates: Uint32Array;
  /** Clock time the unit's earliest attempt started; `Infinity` when never attempted. */
  unitFirstStart: Float64Array;
  unitDeadLettered: Uint8Array;
  /** Participant names by id (senders and recipients). */
  readonly names: string[] = [];
  readonly ids = new Map<string, number>();

  constructor(messages: number, units: number) {
    const m = Math.max(16, messages);
    const u = Math.max(16, units);
    this.messageStart = new Int32Array(m).fill(-1);
    this.messageUnits = new Int32Array(m);
    this.messageSender = new Int32Array(m);
    this.messagePriority = new Uint8Array(m);
    this.messageEnqueue = new Uint8Array(m);
    this.messageSentAt = new Float32Array(m);
    this.acceptOrder = new Int32Array(m);
    this.unitMessage = new Int32Array(u);
    this.unitRecipient = new Int32Array(u);
    this.unitDeliveries = new Uint32Array(u);
    this.unitCoreDuplicates = new Uint32Array(u);
    this.unitFirstStart = new Float64Array(u).fill(Number.POSITIVE_INFINITY);
    this.unitDeadLettered = new Uint8Array(u);
  }

  /** The id of a participant name, interning it on first sight. */
  intern(name: string): number {
    let id = this.ids.get(name);
    if (id === undefined) {
      id = this.names.length;
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
    this.messagePriority = grown(this.messagePriority, length);
    this.messageEnqueue = grown(this.messageEnqueue, length);
    this.messageSentAt = grown(this.messageSentAt, length);
    this.acceptOrder = grown(this.acceptOrder, length);
  }

  /** Makes room for `extra` more units. */
  ensureUnits(extra: number): void {
    const capacity = this.unitMessage.length;
    const needed = this.unitCount + extra;
    if (needed <= capacity) return;
    const length = Math.max(needed, capacity * 2);
    this.unitMessage = grown(this.unitMessage, length);
    this.unitRecipient = grown(this.unitRecipient, length);
    this.unitDeliveries = grown(this.unitDeliveries, length);
    this.unitCoreDuplicates = grown(this.unitCoreDuplicates, length);
    this.unitFirstStart = grown(this.unitFirstStart, length).fill(Number.POSITIVE_INFINITY, capacity);
    this.unitDeadLettered = grown(this.unitDeadLettered, length);
  }

  /** The unit of message `index` addressed to participant `recipient`, or -1. */
  unitOf(index: number, recipient: number): number {
    if (index < 0 || index >= this.messageCount) return -1;
    const start = this.messageStart[index]!;
    if (start < 0) return -1;
    const end = start + this.messageUnits[index]!;
    if (start === end) return -1;
    // Broadcasts list the agents in interning order, so the recipient id usually points straight at its unit.
    const guess = start + recipient - this.unitRecipient[start]!;
    if (guess >= start && guess < end && this.unitRecipient[guess] === recipient) return guess;
    for (let unit = start; unit < end; unit++) if (this.unitRecipient[unit] === recipient) return unit;
    return -1;
  }
}
