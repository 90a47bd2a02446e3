import { deflateSync } from 'node:zlib';
import fc from 'fast-check';
import {
  build,
  decodeFromCompressedBase64,
  encodeIntoCompressedBase64,
  type JsHistogram,
} from 'hdr-histogram-js';
import { describe, expect, it } from 'vitest';
import { decodeHdr } from '../../../src/engine/metrics/hdr-encoding.ts';
import { LatencyHistogram } from '../../../src/engine/metrics/latency-histogram.ts';

/** Latencies in µs: mostly small, some up to hours, a few past 2^31. */
const latencyUs = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: 0, max: 5_000 }) },
  { weight: 3, arbitrary: fc.integer({ min: 0, max: 2 ** 31 - 1 }) },
  { weight: 1, arbitrary: fc.integer({ min: 2 ** 31, max: 2 ** 45 }) },
);

/** What hdr-histogram-js wrote for our counts before our own codec: each bucket's lowest value, sized to the top one. */
function referenceEncoding(values: readonly number[], digits: 1 | 2 | 3): string {
  const probe = build({
    bitBucketSize: 64,
    numberOfSignificantValueDigits: digits,
    autoResize: true,
  }) as JsHistogram;
  const buckets = values.map((value) => probe.lowestEquivalentValue(value));
  const top = Math.max(2, ...buckets);
  const reference = build({
    bitBucketSize: 64,
    autoResize: false,
    lowestDiscernibleValue: 1,
    highestTrackableValue: top,
    numberOfSignificantValueDigits: digits,
  }) as JsHistogram;
  for (const value of buckets) reference.recordValue(value);
  return encodeIntoCompressedBase64(reference);
}

describe('the HdrHistogram V2 codec', () => {
  it('writes byte for byte what hdr-histogram-js writes for the same counts, and reads it back', () => {
    fc.assert(
      fc.property(fc.array(latencyUs, { maxLength: 300 }), fc.constantFrom(1, 2, 3), (values, digits) => {
        const histogram = new LatencyHistogram({ significantDigits: digits as 1 });
        for (const value of values) histogram.record(value);
        const encoded = histogram.encode();
        expect(encoded.hdr).toBe(referenceEncoding(values, digits as 1));
        // hdr-histogram-js reads ours: same total and the same value at each percentile.
        const theirs = decodeFromCompressedBase64(encoded.hdr, 64) as JsHistogram;
        expect(theirs.totalCount).toBe(values.length);
        const back = LatencyHistogram.decode(encoded);
        expect(back.encode()).toEqual(encoded);
        for (const p of [50, 99, 100]) expect(back.percentileMs(p)).toBe(histogram.percentileMs(p));
      }),
      { numRuns: 200 },
    );
  });

  it('reads histograms hdr-histogram-js encoded with other settings (compression level 9)', () => {
    const reference = build({
      bitBucketSize: 64,
      numberOfSignificantValueDigits: 3,
      autoResize: true,
    }) as JsHistogram;
    for (const value of [1, 5, 5, 1200, 65_000, 2 ** 33]) reference.recordValue(value);
    const decoded = decodeHdr(encodeIntoCompressedBase64(reference, 9));
    expect(decoded.significantDigits).toBe(3);
    expect(decoded.counts.reduce((sum, n) => sum + n, 0)).toBe(6);
  });

  it('refuses bad input with a reason, and a hostile run of zeros without allocating for it', () => {
    expect(() => decodeHdr('not base64!')).toThrow(/base64/);
    expect(() => decodeHdr('AAAA')).toThrow(/V2/);
    const good = new LatencyHistogram();
    good.record(1000);
    const hdr = good.encode().hdr;
    expect(() => decodeHdr(hdr.slice(0, 24))).toThrow();
    // A payload whose zero run jumps to index 2^40 before its one count.
    const hostile = hostileEncoding();
    expect(() => decodeHdr(hostile)).toThrow(/past the histogram's range/);
  });
});

/** A V2 histogram (3 digits) whose counts are: a run of 2^40 zeros, then a count of 1. */
function hostileEncoding(): string {
  const zigzag = (n: number): number[] => {
    let value = n >= 0 ? n * 2 : -n * 2 - 1;
    const bytes: number[] = [];
    while (value >= 128) {
      bytes.push((value % 128) | 128);
      value = Math.floor(value / 128);
    }
    bytes.push(value);
    return bytes;
  };
  const payload = [...zigzag(-(2 ** 40)), ...zigzag(1)];
  const header = Buffer.alloc(40);
  header.writeInt32BE(0x1c849313, 0);
  header.writeInt32BE(payload.length, 4);
  header.writeInt32BE(1, 8);
  header.writeInt32BE(3, 12);
  header.writeBigInt64BE(1n, 16);
  header.writeBigInt64BE(2n ** 45n, 24);
  header.writeBigInt64BE(1n, 32);
  const compressed = deflateSync(Buffer.concat([header, Buffer.from(payload)]));
  const framed = Buffer.alloc(8 + compressed.length);
  framed.writeInt32BE(0x1c849314, 0);
  framed.writeInt32BE(compressed.length, 4);
  compressed.copy(framed, 8);
  return framed.toString('base64');
}
