const SPILLED = 255;

/**
 * A per-unit counter in one byte: counts up to 254 sit in a `Uint8Array`, larger ones spill into a map (a unit
 * delivered 255 times is a broken processor, rare enough that a map entry is cheap), so every count stays exact.
 */
export class CountColumn {
  #bytes: Uint8Array;
  readonly #spilled = new Map<number, number>();

  constructor(length: number) {
    this.#bytes = new Uint8Array(length);
  }

  get length(): number {
    return this.#bytes.length;
  }

  /** The count of `unit`. */
  get(unit: number): number {
    const byte = this.#bytes[unit]!;
    return byte === SPILLED ? this.#spilled.get(unit)! : byte;
  }

  /** Adds one to the count of `unit` and returns the new count. */
  increment(unit: number): number {
    const byte = this.#bytes[unit]!;
    if (byte < SPILLED - 1) {
      this.#bytes[unit] = byte + 1;
      return byte + 1;
    }
    const next = (byte === SPILLED ? this.#spilled.get(unit)! : byte) + 1;
    this.#spilled.set(unit, next);
    this.#bytes[unit] = SPILLED;
    return next;
  }

  /** Makes room for `length` units, keeping the counts. */
  grow(length: number): void {
    const next = new Uint8Array(length);
    next.set(this.#bytes);
    this.#bytes = next;
  }
}
