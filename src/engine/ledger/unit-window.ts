import { internalError } from '../../protocol/index.ts';

// Units per chunk: small enough that a few units left unresolved (lost, stuck) pin little memory.
const CHUNK_BITS = 10;
const CHUNK = 1 << CHUNK_BITS;

/**
 * The time-stamps of the units still open: each unit's send time and first attempt's start, in chunks of 1,024
 * units that are freed once every unit in them is released. A unit is released when nothing can ask for its
 * times again: its order checks are done and it is resolved (delivered, dead-lettered or refused). So the
 * memory follows the units in flight, not the run's length; a unit never resolved (lost, stuck) keeps its chunk.
 */
export class UnitWindow {
  // Per chunk: [start of each unit..., sent time of each unit...], or undefined once freed (or never opened).
  readonly #chunks: (Float64Array | undefined)[] = [];
  // Per chunk: its units opened and not yet released.
  readonly #open: number[] = [];
  #opened = 0;
  #chunksHeld = 0;

  /** Opens the next unit (units are opened in order, from 0), sent at `sentAt`, not yet started. */
  open(sentAt: number): number {
    const unit = this.#opened++;
    const chunk = unit >>> CHUNK_BITS;
    let times = this.#chunks[chunk];
    if (times === undefined) {
      times = new Float64Array(CHUNK * 2).fill(Number.POSITIVE_INFINITY, 0, CHUNK);
      this.#chunks[chunk] = times;
      this.#chunksHeld++;
      this.#open[chunk] = 0;
    }
    times[CHUNK + (unit & (CHUNK - 1))] = sentAt;
    this.#open[chunk]!++;
    return unit;
  }

  /** When the unit's first attempt started; `Infinity` when it has not started. */
  startOf(unit: number): number {
    return this.#times(unit)[unit & (CHUNK - 1)]!;
  }

  setStart(unit: number, startedAt: number): void {
    this.#times(unit)[unit & (CHUNK - 1)] = startedAt;
  }

  /** When the unit's message was sent. */
  sentAtOf(unit: number): number {
    return this.#times(unit)[CHUNK + (unit & (CHUNK - 1))]!;
  }

  /** Releases a unit, once; its chunk is freed when all its units were opened and released. */
  release(unit: number): void {
    const chunk = unit >>> CHUNK_BITS;
    const open = --this.#open[chunk]!;
    if (open === 0 && this.#opened >= (chunk + 1) * CHUNK) {
      this.#chunks[chunk] = undefined;
      this.#chunksHeld--;
    }
  }

  /** Units whose times are held: those in chunks not freed yet (1,024 per chunk). */
  get unitsHeld(): number {
    return this.#chunksHeld * CHUNK;
  }

  #times(unit: number): Float64Array {
    const times = this.#chunks[unit >>> CHUNK_BITS];
    if (times === undefined) throw internalError(`The times of unit ${unit} were read after its release`);
    return times;
  }
}
