import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import fc from 'fast-check';
import { build, type JsHistogram } from 'hdr-histogram-js';
import { describe, expect, it } from 'vitest';
import { type EncodedHistogram, LatencyHistogram } from '../../../src/engine/metrics/latency-histogram.ts';
import { summarizeLatency } from '../../../src/engine/metrics/latency-stats.ts';
import { StressError } from '../../../src/protocol/index.ts';

const PERCENTILES = [0, 1, 25, 50, 90, 95, 99, 99.9, 99.99, 100];

/** Latencies in µs: mostly small, some up to hours, a few past the 2^31 fast path. */
const latencyUs = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: 0, max: 5_000 }) },
  { weight: 3, arbitrary: fc.integer({ min: 0, max: 2 ** 31 - 1 }) },
  { weight: 1, arbitrary: fc.integer({ min: 2 ** 31, max: 2 ** 45 }) },
);

function histogramOf(values: readonly number[], significantDigits: 1 | 2 | 3 | 4 | 5 = 3): LatencyHistogram {
  const histogram = new LatencyHistogram({ significantDigits });
  for (const value of values) histogram.record(value);
  return histogram;
}

function figures(histogram: LatencyHistogram) {
  return { ...histogram.encode(), percentiles: PERCENTILES.map((p) => histogram.percentileMs(p)) };
}

describe('LatencyHistogram', () => {
  it('answers like hdr-histogram-js recording the same values directly', () => {
    fc.assert(
      fc.property(
        fc.array(latencyUs, { minLength: 1, maxLength: 300 }),
        // 4 and 5 digits work the same way but allocate megabytes per histogram at these ranges.
        fc.constantFrom(1, 2, 3),
        (values, digits) => {
          const ours = histogramOf(values, digits as 3);
          const reference = build({
            bitBucketSize: 64,
            numberOfSignificantValueDigits: digits as 3,
            autoResize: true,
          }) as JsHistogram;
          for (const value of values) reference.recordValue(value);
          const [min, max] = [Math.min(...values), Math.max(...values)];
          for (const p of PERCENTILES) {
            const expected = Math.min(Math.max(reference.getValueAtPercentile(p), min), max) / 1000;
            expect(ours.percentileMs(p)).toBe(expected);
          }
          expect(ours.count).toBe(reference.totalCount);
          expect(ours.stddevMs()).toBeCloseTo(reference.stdDeviation / 1000, 9);
        },
      ),
    );
  });

  it('keeps min, max and mean exact', () => {
    const histogram = histogramOf([1234, 5678, 9_999_999]);
    expect(summarizeLatency(histogram)).toMatchObject({
      count: 3,
      min_ms: 1.234,
      max_ms: 9999.999,
      avg_ms: (1234 + 5678 + 9_999_999) / 3 / 1000,
      p999_ms: 9999.999,
    });
  });

  it('rounds fractions, counts negatives as 0 and records milliseconds to the microsecond', () => {
    const histogram = new LatencyHistogram();
    histogram.record(-5);
    histogram.record(2.6);
    histogram.recordMs(1.5);
    expect([histogram.minUs, histogram.maxUs, histogram.sumUs]).toEqual([0, 1500, 1503]);
  });

  it('reports null figures, not zeros, when empty', () => {
    const stats = summarizeLatency(new LatencyHistogram());
    expect(stats).toEqual({
      count: 0,
      min_ms: null,
      max_ms: null,
      avg_ms: null,
      p50_ms: null,
      p90_ms: null,
      p95_ms: null,
      p99_ms: null,
      p999_ms: null,
      stddev_ms: null,
    });
    const empty = LatencyHistogram.decode(new LatencyHistogram().encode());
    expect(empty.count).toBe(0);
  });

  it('survives encode, JSON and decode unchanged', () => {
    fc.assert(
      fc.property(fc.array(latencyUs, { maxLength: 200 }), (values) => {
        const histogram = histogramOf(values);
        const encoded = histogram.encode();
        const decoded = LatencyHistogram.decode(JSON.parse(JSON.stringify(encoded)));
        expect(figures(decoded)).toEqual(figures(histogram));
      }),
    );
  });

  it('finds many percentiles in one pass, in any order, as one at a time', () => {
    fc.assert(
      fc.property(
        fc.array(latencyUs, { maxLength: 300 }),
        fc.array(fc.constantFrom(...PERCENTILES, Number.NaN), { maxLength: 12 }),
        (values, percentiles) => {
          const histogram = histogramOf(values);
          expect(histogram.percentilesMs(percentiles)).toEqual(
            percentiles.map((p) => histogram.percentileMs(p)),
          );
        },
      ),
    );
  });

  it('decodes its own encodings from the live counts only while they still hold them', () => {
    fc.assert(
      fc.property(
        fc.array(latencyUs, { maxLength: 200 }),
        fc.array(latencyUs, { minLength: 1, maxLength: 20 }),
        (before, after) => {
          const histogram = histogramOf(before);
          const encoded = histogram.encode();
          const expected = figures(LatencyHistogram.decode(JSON.parse(JSON.stringify(encoded))));
          expect(figures(LatencyHistogram.decode(encoded))).toEqual(expected);
          // The decoded histogram shares the counts until either side writes: each write leaves the other alone.
          const copy = LatencyHistogram.decode(encoded);
          copy.record(after[0]!);
          expect(figures(histogram)).toEqual(expected);
          const second = LatencyHistogram.decode(encoded);
          for (const value of after) histogram.record(value);
          expect(figures(second)).toEqual(expected);
          expect(figures(LatencyHistogram.decode(encoded))).toEqual(expected);
        },
      ),
    );
    const histogram = histogramOf([10, 20]);
    const encoded = histogram.encode() as { -readonly [K in keyof EncodedHistogram]: EncodedHistogram[K] };
    encoded.count = 3;
    expect(() => LatencyHistogram.decode(encoded, 'latency')).toThrow(/disagree with its 2 HDR counts/);
    const other = histogramOf([5, 7, 9]).encode();
    Object.assign(encoded, { ...other });
    expect(figures(LatencyHistogram.decode(encoded))).toEqual(figures(histogramOf([5, 7, 9])));
  });

  it('keeps no histogram alive through its encodings', async () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const values = [5, 70, 900, 12_000];
    const encoded: EncodedHistogram[] = [];
    const sources: WeakRef<LatencyHistogram>[] = [];
    // In a function of its own: a register of this async one could still hold the last histogram.
    const encodeSome = (): void => {
      for (let i = 0; i < 20; i++) {
        const histogram = histogramOf(values);
        encoded.push(histogram.encode());
        sources.push(new WeakRef(histogram));
      }
    };
    encodeSome();
    // A WeakRef holds its target until the current job ends.
    await new Promise((resolve) => setTimeout(resolve, 0));
    gc();
    expect(sources.filter((source) => source.deref() !== undefined)).toHaveLength(0);
    // Decoded from the string once the source is gone.
    expect(figures(LatencyHistogram.decode(encoded[0]!))).toEqual(figures(histogramOf(values)));
  });

  it('merges a split stream into exactly the histogram of the whole stream', () => {
    fc.assert(
      fc.property(fc.array(latencyUs, { maxLength: 300 }), fc.nat(), fc.nat(), (values, a, b) => {
        const cuts = [a % (values.length + 1), b % (values.length + 1)].sort((x, y) => x - y) as [
          number,
          number,
        ];
        const parts = [values.slice(0, cuts[0]), values.slice(cuts[0], cuts[1]), values.slice(cuts[1])];
        const merged = LatencyHistogram.decode(histogramOf(parts[0]!).encode());
        for (const part of parts.slice(1)) merged.add(LatencyHistogram.decode(histogramOf(part).encode()));
        expect(figures(merged)).toEqual(figures(histogramOf(values)));
      }),
    );
  });

  it('refuses to merge histograms of different precision', () => {
    const error = (() => {
      try {
        new LatencyHistogram({ significantDigits: 3 }).add(new LatencyHistogram({ significantDigits: 2 }));
      } catch (caught) {
        return caught;
      }
    })();
    expect(StressError.is(error, 'ERR_INVALID_SNAPSHOT')).toBe(true);
  });

  it('rejects encoded histograms that do not decode or disagree with their counts', () => {
    const good = histogramOf([10, 20]).encode();
    const cases = [
      { ...good, hdr: 'not base64 at all' },
      { ...good, count: 3 },
      { ...good, min_us: 30 },
      { ...good, sum_us: -1 },
      null,
    ];
    for (const bad of cases) {
      expect(() => LatencyHistogram.decode(bad as never, 'latency')).toThrow(
        /Expected `latency` to be an encoded/,
      );
    }
  });

  it('validates its precision option', () => {
    expect(() => new LatencyHistogram({ significantDigits: 7 as never })).toThrow(/significantDigits/);
  });
});
