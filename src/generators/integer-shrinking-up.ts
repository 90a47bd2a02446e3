import fc from 'fast-check';

/** Generates exactly as `fc.integer({ min, max })` does, and shrinks towards `max` (mirrored fast-check shrinking). */
class IntegerShrinkingUp extends fc.Arbitrary<number> {
  readonly #generated: fc.Arbitrary<number>;
  // Distances below max: fast-check shrinks them towards 0, which is the value towards max.
  readonly #distance: fc.Arbitrary<number>;

  constructor(
    min: number,
    private readonly max: number,
  ) {
    super();
    this.#generated = fc.integer({ min, max });
    this.#distance = fc.integer({ min: 0, max: max - min });
  }

  generate(random: fc.Random, biasFactor: number | undefined): fc.Value<number> {
    return new fc.Value(this.#generated.generate(random, biasFactor).value, undefined);
  }

  canShrinkWithoutContext(value: unknown): value is number {
    return this.#generated.canShrinkWithoutContext(value);
  }

  shrink(value: number, context: unknown): fc.Stream<fc.Value<number>> {
    return this.#distance
      .shrink(this.max - value, context)
      .map((distance) => new fc.Value(this.max - distance.value, distance.context));
  }
}

/**
 * An integer from `min` to `max` that generates as `fc.integer` does (same draws, same values) but shrinks
 * towards `max`: for a quantity where more is simpler to show, such as a fault rate (a fault that strikes
 * more often needs fewer messages to show a bug).
 * @example
 * integerShrinkingUp({ min: 1, max: 100 }); // a failing 7 shrinks towards 100: 100, 54, 31, ...
 */
export function integerShrinkingUp({ min, max }: { min: number; max: number }): fc.Arbitrary<number> {
  return new IntegerShrinkingUp(min, max);
}
