/** One figure printed by `npm run bench`, with the in-process baseline it is compared against. */
export interface BenchResult {
  readonly name: string;
  readonly value: number;
  readonly unit: string;
  /** A baseline measured in the same process; the printed ratio is value / baseline.value. */
  readonly baseline?: Baseline;
  /** Further baselines, each printed with its own ratio. */
  readonly moreBaselines?: readonly Baseline[];
  /** The target from the issue, e.g. ">= 1,000,000 msg/s". */
  readonly target?: string;
  readonly note?: string;
}

/** A figure measured in the same process for comparison. */
export interface Baseline {
  readonly name: string;
  readonly value: number;
}
