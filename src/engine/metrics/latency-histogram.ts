import { describeValue, StressError } from '../../protocol/index.ts';
import { decodeHdr, encodeHdr, type HdrCounts } from './hdr-encoding.ts';

/** A {@link LatencyHistogram} as it travels: HDR counts plus the exact figures HDR only approximates. */
export interface EncodedHistogram {
  /** Number of recorded values. */
  readonly count: number;
  /** Exact smallest value in microseconds (0 when empty). */
  readonly min_us: number;
  /** Exact largest value in microseconds (0 when empty). */
  readonly max_us: number;
  /** Exact sum of the values in microseconds, for an exact mean. */
  readonly sum_us: number;
  /** The counts as an HdrHistogram V2 compressed base64 string (readable by any HdrHistogram port). */
  readonly hdr: string;
}

/** Options of {@link LatencyHistogram}. */
export interface LatencyHistogramOptions {
  /** Decimal digits of precision kept for every value (3 = within 0.1 %). @default 3 */
  readonly significantDigits?: 1 | 2 | 3 | 4 | 5;
}

// Beyond 2^31 µs (36 minutes) the fast index math below no longer fits in 32-bit integers.
const FAST_LIMIT = 2 ** 31;
// Values are clamped here (about 35 years) so every index stays an exact double.
const MAX_VALUE_US = 2 ** 50;

/**
 * A latency histogram in microseconds with HdrHistogram's bucket layout and encoding. Values are counted in
 * a plain Float64Array laid out exactly like HdrHistogram's counts array (one integer index computation, no
 * allocation, about 15 ns), because hdr-histogram-js's JS `recordValue` costs about 100 ns and its WASM one
 * (about 20 ns) needs an async init and a `destroy()` per histogram. Percentiles, mean and deviation are computed
 * here, step for step as HdrHistogram does (a test compares them), and so is its V2 encoding (`hdr-encoding.ts`):
 * no HdrHistogram object is built at all. Merging adds counts, so it is exact.
 */
export class LatencyHistogram {
  readonly significantDigits: number;
  // Plain private fields: `#fields` measured about 10 ns slower per record on Node 20.
  private readonly halfMagnitude: number;
  private readonly halfCount: number;
  private readonly mask: number;
  private counts = new Float64Array(0);
  private total = 0;
  private min = 0;
  private max = 0;
  private sum = 0;
  private maxIndex = -1;
  // True while `counts` is shared with another histogram (one decoded from the other): copied before a write.
  private shared = false;
  // The last encoding, kept until the counts change (a snapshot may encode the same histogram twice).
  private encoded: string | undefined;

  constructor(options: LatencyHistogramOptions = {}) {
    const digits = options.significantDigits ?? 3;
    if (!Number.isInteger(digits) || digits < 1 || digits > 5) {
      throw new StressError(
        'ERR_INVALID_OPTION',
        `Expected \`significantDigits\` to be an integer from 1 to 5, got ${describeValue(digits)}.`,
      );
    }
    this.significantDigits = digits;
    this.halfMagnitude = halfMagnitudeOf(digits);
    this.halfCount = 2 ** this.halfMagnitude;
    this.mask = this.halfCount * 2 - 1;
  }

  /** Number of recorded values. */
  get count(): number {
    return this.total;
  }

  /** Exact sum of the recorded values, in microseconds. */
  get sumUs(): number {
    return this.sum;
  }

  /** Exact smallest recorded value in microseconds, or `null` when empty. */
  get minUs(): number | null {
    return this.total === 0 ? null : this.min;
  }

  /** Exact largest recorded value in microseconds, or `null` when empty. */
  get maxUs(): number | null {
    return this.total === 0 ? null : this.max;
  }

  /** Records one value in microseconds; negatives count as 0, fractions are rounded, huge values clamped. */
  record(valueUs: number): void {
    let value = valueUs > 0 ? Math.round(valueUs) : 0;
    if (value > MAX_VALUE_US) value = MAX_VALUE_US;
    this.addAt(this.indexOfValue(value), 1);
    if (this.total === 0 || value < this.min) this.min = value;
    if (value > this.max) this.max = value;
    this.total++;
    this.sum += value;
  }

  /** Records one value in milliseconds (kept to the microsecond). */
  recordMs(valueMs: number): void {
    this.record(valueMs * 1000);
  }

  /** Adds every value of `other` to this histogram; both must keep the same number of significant digits. */
  add(other: LatencyHistogram): void {
    if (other.significantDigits !== this.significantDigits) {
      throw new StressError(
        'ERR_INVALID_SNAPSHOT',
        `Expected histograms with the same precision to merge, got ${this.significantDigits} and ` +
          `${other.significantDigits} significant digits.`,
      );
    }
    if (other.total === 0) return;
    for (let i = 0; i <= other.maxIndex; i++) {
      const n = other.counts[i]!;
      if (n > 0) this.addAt(i, n);
    }
    this.min = this.total === 0 ? other.min : Math.min(this.min, other.min);
    this.max = Math.max(this.max, other.max);
    this.total += other.total;
    this.sum += other.sum;
  }

  /** The value at percentile `p` (0-100) in milliseconds, within the histogram's precision; `null` when empty. */
  percentileMs(p: number): number | null {
    return this.percentilesMs([p])[0]!;
  }

  /** {@link LatencyHistogram.percentileMs} of each of `percentiles`, in one pass over the counts. */
  percentilesMs(percentiles: readonly number[]): (number | null)[] {
    if (this.total === 0) return percentiles.map(() => null);
    // HDR answers with the top of the value's bucket; the exact extremes keep p100 from exceeding the max.
    return this.valuesAtPercentiles(percentiles).map(
      (raw) => Math.min(Math.max(raw, this.min), this.max) / 1000,
    );
  }

  /** Exact mean in milliseconds, or `null` when empty. */
  meanMs(): number | null {
    return this.total === 0 ? null : this.sum / this.total / 1000;
  }

  /** Standard deviation in milliseconds (HdrHistogram's, from bucket midpoints), or `null` when empty. */
  stddevMs(): number | null {
    return this.total === 0 ? null : this.stdDeviation() / 1000;
  }

  /** Encodes the histogram; equal counts give an identical string, however they were recorded or merged. */
  encode(): EncodedHistogram {
    const encoded: EncodedHistogram = {
      count: this.total,
      min_us: this.total === 0 ? 0 : this.min,
      max_us: this.max,
      sum_us: this.sum,
      hdr: this.encodeCounts(),
    };
    ENCODED_FROM.set(encoded, new WeakRef(this));
    return encoded;
  }

  /** Rebuilds a histogram from {@link LatencyHistogram.encode}; throws `ERR_INVALID_SNAPSHOT` on bad input. */
  static decode(encoded: EncodedHistogram, field = 'histogram'): LatencyHistogram {
    const bad = (problem: string, cause?: unknown): StressError =>
      new StressError(
        'ERR_INVALID_SNAPSHOT',
        `Expected \`${field}\` to be an encoded histogram, ${problem}.`,
        {
          cause,
        },
      );
    if (typeof encoded !== 'object' || encoded === null) throw bad(`got ${describeValue(encoded)}`);
    let histogram: LatencyHistogram;
    let hdrTotal = 0;
    const source = ENCODED_FROM.get(encoded)?.deref();
    if (source !== undefined && source.encoded !== undefined && source.encoded === encoded.hdr) {
      // Encoded here and the source's counts unchanged since (its cached string is still that one): share
      // them, copy on write, instead of inflating and parsing the string (most of a short run's report).
      histogram = new LatencyHistogram({ significantDigits: source.significantDigits as 1 | 2 | 3 | 4 | 5 });
      histogram.counts = source.counts;
      histogram.maxIndex = source.maxIndex;
      histogram.encoded = source.encoded;
      histogram.shared = true;
      source.shared = true;
      hdrTotal = source.total;
    } else {
      let decoded: HdrCounts;
      try {
        decoded = decodeHdr(String(encoded.hdr));
      } catch (error) {
        throw bad(`but its \`hdr\` string does not decode (${(error as Error).message})`, error);
      }
      if (decoded.lowestDiscernibleValue !== 1) throw bad('but it was not recorded in whole microseconds');
      histogram = new LatencyHistogram({ significantDigits: decoded.significantDigits as 1 | 2 | 3 | 4 | 5 });
      const counts = decoded.counts;
      let top = -1;
      for (let i = 0; i < counts.length; i++) {
        const n = counts[i]!;
        if (n > 0) {
          hdrTotal += n;
          top = i;
        }
      }
      // Sized once to the top count, instead of growing bucket by bucket.
      if (top >= 0) histogram.addAt(top, 0);
      histogram.counts.set(counts.subarray(0, top + 1));
    }
    const { count, min_us, max_us, sum_us } = encoded;
    const plausible =
      count === hdrTotal &&
      [min_us, max_us, sum_us].every((v) => Number.isSafeInteger(v) && v >= 0) &&
      min_us <= max_us;
    if (!plausible) {
      throw bad(`but its count/min/max/sum disagree with its ${hdrTotal} HDR counts`);
    }
    histogram.total = count;
    histogram.min = min_us;
    histogram.max = max_us;
    histogram.sum = sum_us;
    return histogram;
  }

  private indexOfValue(value: number): number {
    if (value < FAST_LIMIT) {
      const bucket = 31 - Math.clz32(value | this.mask) - this.halfMagnitude;
      return ((bucket + 1) << this.halfMagnitude) + (value >>> bucket) - this.halfCount;
    }
    let exponent = Math.floor(Math.log2(value));
    if (2 ** exponent > value) exponent--;
    else if (2 ** (exponent + 1) <= value) exponent++;
    const bucket = exponent - this.halfMagnitude;
    return (bucket + 1) * this.halfCount + Math.floor(value / 2 ** bucket) - this.halfCount;
  }

  private addAt(index: number, n: number): void {
    if (index >= this.counts.length || this.shared) {
      // One more bucket doubles the value range, so growing by a few buckets is geometric in range.
      const length =
        index >= this.counts.length
          ? (Math.floor(index / this.halfCount) + 3) * this.halfCount
          : this.counts.length;
      const grown = new Float64Array(length);
      grown.set(this.counts);
      this.counts = grown;
      this.shared = false;
    }
    this.counts[index]! += n;
    if (index > this.maxIndex) this.maxIndex = index;
    this.encoded = undefined;
  }

  private valueAt(index: number): number {
    let bucket = Math.floor(index / this.halfCount) - 1;
    let sub = (index % this.halfCount) + this.halfCount;
    if (bucket < 0) {
      sub -= this.halfCount;
      bucket = 0;
    }
    return sub * 2 ** bucket;
  }

  /** Size of the value range counted at `index`: 1 in the first two half-buckets, then doubling per bucket. */
  private rangeAt(index: number): number {
    return 2 ** Math.max(0, Math.floor(index / this.halfCount) - 1);
  }

  // HdrHistogram's getValueAtPercentile, step for step, over our counts (laid out like its own): building
  // the HdrHistogram and walking its iterator cost about 1 ms per histogram, most of a short run's report.
  // Every percentile's count is found in the same walk, in the order of those counts.
  private valuesAtPercentiles(percentiles: readonly number[]): number[] {
    const wanted = percentiles.map((percentile) => {
      const fpCount = (Math.min(percentile, 100) / 100) * this.total;
      const count = Math.max(Math.ceil(fpCount - ulp(fpCount)), 1);
      // NaN (no such percentile) is never reached: last in the walk's order, so it holds back no other.
      return count >= 1 ? count : Number.POSITIVE_INFINITY;
    });
    const order = wanted.map((_, k) => k).sort((a, b) => wanted[a]! - wanted[b]!);
    const values = new Array<number>(percentiles.length).fill(0);
    let next = 0;
    let cumulative = 0;
    for (let i = 0; i <= this.maxIndex && next < order.length; i++) {
      cumulative += this.counts[i]!;
      while (next < order.length && cumulative >= wanted[order[next]!]!) {
        const k = order[next++]!;
        const lowest = this.valueAt(i);
        values[k] = percentiles[k] === 0 ? lowest : lowest + this.rangeAt(i) - 1;
      }
    }
    return values;
  }

  // HdrHistogram's stdDeviation (from bucket midpoints), with the same operations in the same order.
  private stdDeviation(): number {
    let totalValue = 0;
    for (let i = 0; i <= this.maxIndex; i++) {
      const n = this.counts[i]!;
      if (n > 0) totalValue += (this.valueAt(i) + Math.floor(this.rangeAt(i) / 2)) * n;
    }
    const mean = totalValue / this.total;
    let deviationTotal = 0;
    for (let i = 0; i <= this.maxIndex; i++) {
      const n = this.counts[i]!;
      if (n === 0) continue;
      const deviation = this.valueAt(i) + Math.floor(this.rangeAt(i) / 2) - mean;
      deviationTotal += deviation * deviation * n;
    }
    return Math.sqrt(deviationTotal / this.total);
  }

  // Sized from the largest used bucket only (its lowest value is the highest trackable one), so the encoding
  // depends on the counts alone; byte for byte what hdr-histogram-js wrote for the same counts (tested).
  private encodeCounts(): string {
    if (this.encoded !== undefined) return this.encoded;
    const top = this.maxIndex < 0 ? 2 : Math.max(2, this.valueAt(this.maxIndex));
    this.encoded = encodeHdr(this.counts, this.maxIndex + 1, this.significantDigits, top);
    return this.encoded;
  }
}

/**
 * The histogram each encoding came from: {@link LatencyHistogram.decode} shares its counts while they still match
 * the encoding, byte for byte the counts the string holds. Weak both ways: a report keeping its encodings does
 * not keep the run's histograms (tens of kB each) alive.
 */
const ENCODED_FROM = new WeakMap<EncodedHistogram, WeakRef<LatencyHistogram>>();

/** HdrHistogram's unit in the last place, as its percentile rounding uses it. */
function ulp(x: number): number {
  return 2 ** (Math.floor(Math.log2(x)) - 52);
}

/** HdrHistogram's sub-bucket half-count magnitude for whole-unit values kept to `digits` significant digits. */
function halfMagnitudeOf(digits: number): number {
  const largestWithUnitResolution = 2 * Math.floor(10 ** digits);
  const magnitude = Math.ceil(Math.log2(largestWithUnitResolution));
  return Math.max(magnitude, 1) - 1;
}
