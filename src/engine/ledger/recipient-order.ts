// Stream keys (sender * 2 + priority) below this sit in dense tables; above it, in a map.
const DENSE_KEYS = 512;

function grownTo<T extends Float64Array | Int32Array>(array: T, length: number): T {
  const next = new (array.constructor as new (length: number) => T)(length);
  next.set(array);
  return next;
}

/**
 * One recipient's side of the order checks: its accepted units not judged yet, in accept order (a ring of
 * unit and message pairs), the last judged start of each of its streams (sender and priority), the urgent units
 * judged and not yet overtaken, and how many of its regular units started and are not judged yet.
 */
export class RecipientOrder {
  #ring = new Int32Array(32);
  #head = 0;
  size = 0;
  /** Regular units to this recipient that started and are not judged nor refused. */
  pendingRegular = 0;
  /** Judged urgent units not yet overtaken, by first start ascending: start, unit and message. */
  urgentCount = 0;
  urgentStart = new Float64Array(16);
  urgentUnit = new Int32Array(16);
  urgentMessage = new Int32Array(16);
  /** Per stream key (dense) or slot (sparse): the latest first start judged so far, and its message. */
  #witnessStart = new Float64Array(32).fill(Number.NEGATIVE_INFINITY);
  #witnessMessage = new Int32Array(32);
  #sparse: Map<number, number> | undefined;

  push(unit: number, message: number): void {
    if (this.size === this.#ring.length >> 1) this.#resize(this.#ring.length);
    const at = ((this.#head + this.size) & ((this.#ring.length >> 1) - 1)) << 1;
    this.#ring[at] = unit;
    this.#ring[at + 1] = message;
    this.size++;
  }

  /** The unit at the head (the earliest-accepted unit not judged); only when `size > 0`. */
  headUnit(): number {
    return this.#ring[this.#head << 1]!;
  }

  headMessage(): number {
    return this.#ring[(this.#head << 1) + 1]!;
  }

  shift(): void {
    const capacity = this.#ring.length >> 1;
    this.#head = (this.#head + 1) & (capacity - 1);
    this.size--;
    // A backlog that drained gives its memory back.
    if (capacity > 1024 && this.size < capacity >> 3) this.#resize(capacity >> 1);
  }

  /**
   * Judges a first start against the stream from `sender` at `priority` (0 regular, 1 urgent): returns -1 when
   * it is not before the latest start judged in that stream (which it then becomes), else that start's message.
   */
  overtakes(sender: number, priority: number, began: number, message: number): number {
    let slot = sender * 2 + priority;
    if (slot >= DENSE_KEYS) slot = this.#sparseSlot(slot);
    else if (slot >= this.#witnessStart.length) this.#growWitnesses(slot + 1);
    if (this.#witnessStart[slot]! <= began) {
      this.#witnessStart[slot] = began;
      this.#witnessMessage[slot] = message;
      return -1;
    }
    return this.#witnessMessage[slot]!;
  }

  /** Adds a judged urgent unit, keeping the list sorted by start (starts mostly come in order). */
  addUrgent(began: number, unit: number, message: number): void {
    if (this.urgentCount === this.urgentStart.length) {
      const length = this.urgentCount * 2;
      this.urgentStart = grownTo(this.urgentStart, length);
      this.urgentUnit = grownTo(this.urgentUnit, length);
      this.urgentMessage = grownTo(this.urgentMessage, length);
    }
    const { urgentStart, urgentUnit, urgentMessage } = this;
    let at = this.urgentCount++;
    while (at > 0 && urgentStart[at - 1]! > began) {
      urgentStart[at] = urgentStart[at - 1]!;
      urgentUnit[at] = urgentUnit[at - 1]!;
      urgentMessage[at] = urgentMessage[at - 1]!;
      at--;
    }
    urgentStart[at] = began;
    urgentUnit[at] = unit;
    urgentMessage[at] = message;
  }

  #sparseSlot(key: number): number {
    this.#sparse ??= new Map();
    let slot = this.#sparse.get(key);
    if (slot === undefined) {
      slot = DENSE_KEYS + this.#sparse.size;
      this.#sparse.set(key, slot);
      if (slot >= this.#witnessStart.length) this.#growWitnesses(slot + 1);
    }
    return slot;
  }

  #growWitnesses(needed: number): void {
    const length = Math.max(needed, this.#witnessStart.length * 2);
    const from = this.#witnessStart.length;
    this.#witnessStart = grownTo(this.#witnessStart, length).fill(Number.NEGATIVE_INFINITY, from);
    this.#witnessMessage = grownTo(this.#witnessMessage, length);
  }

  #resize(length: number): void {
    const capacity = this.#ring.length >> 1;
    const ring = new Int32Array(length * 2);
    for (let i = 0; i < this.size; i++) {
      const from = ((this.#head + i) & (capacity - 1)) << 1;
      ring[i << 1] = this.#ring[from]!;
      ring[(i << 1) + 1] = this.#ring[from + 1]!;
    }
    this.#ring = ring;
    this.#head = 0;
  }
}
