// Deflate and inflate as hdr-histogram-js finds them (Node's zlib, else pako): the codec below replaces only
// its encoder and decoder, which build a whole JsHistogram and a growing byte buffer per call.
import { deflate, inflate } from 'hdr-histogram-js/dist/JsHistogram.encoding.js';

/** HdrHistogram's V2 cookies; the 0x10 bit marks the 9-byte LEB128 word size. */
const V2_COOKIE = 0x1c849303 | 0x10;
const V2_COMPRESSED_COOKIE = 0x1c849304 | 0x10;
const HEADER_BYTES = 40;
const TWO_POW_32 = 2 ** 32;

/** What a V2 encoding holds: the histogram's layout and its counts, by index. */
export interface HdrCounts {
  readonly significantDigits: number;
  readonly lowestDiscernibleValue: number;
  readonly highestTrackableValue: number;
  /** Counts by index (HdrHistogram's layout); indexes past the end count 0. */
  readonly counts: Float64Array;
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const LOOKUP = new Int16Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) LOOKUP[ALPHABET.charCodeAt(i)] = i;

function toBase64(bytes: Uint8Array): string {
  let out = '';
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    out += ALPHABET[n >>> 18]! + ALPHABET[(n >>> 12) & 63]! + ALPHABET[(n >>> 6) & 63]! + ALPHABET[n & 63]!;
  }
  const rest = bytes.length - i;
  if (rest === 1) {
    const n = bytes[i]! << 16;
    out += `${ALPHABET[n >>> 18]!}${ALPHABET[(n >>> 12) & 63]!}==`;
  } else if (rest === 2) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8);
    out += `${ALPHABET[n >>> 18]!}${ALPHABET[(n >>> 12) & 63]!}${ALPHABET[(n >>> 6) & 63]!}=`;
  }
  return out;
}

function fromBase64(text: string): Uint8Array {
  const clean = text.trim();
  if (clean.length % 4 !== 0) throw new Error('base64 length is not a multiple of 4');
  const padding = clean.endsWith('==') ? 2 : clean.endsWith('=') ? 1 : 0;
  const bytes = new Uint8Array((clean.length / 4) * 3 - padding);
  let j = 0;
  for (let i = 0; i < clean.length; i += 4) {
    let n = 0;
    for (let k = 0; k < 4; k++) {
      const code = clean.charCodeAt(i + k);
      const value = code === 61 && i + k >= clean.length - padding ? 0 : code < 128 ? LOOKUP[code]! : -1;
      if (value < 0) throw new Error(`invalid base64 character at ${i + k}`);
      n = n * 64 + value;
    }
    if (j < bytes.length) bytes[j++] = n >>> 16;
    if (j < bytes.length) bytes[j++] = (n >>> 8) & 255;
    if (j < bytes.length) bytes[j++] = n & 255;
  }
  return bytes;
}

/** Big-endian writer over a buffer that grows by doubling. */
class Bytes {
  data: Uint8Array;
  length = 0;

  constructor(capacity: number) {
    this.data = new Uint8Array(capacity);
  }

  byte(value: number): void {
    if (this.length === this.data.length) {
      const grown = new Uint8Array(this.data.length * 2);
      grown.set(this.data);
      this.data = grown;
    }
    this.data[this.length++] = value;
  }

  array(bytes: Uint8Array): void {
    if (this.length + bytes.length > this.data.length) {
      const grown = new Uint8Array(Math.max(this.data.length * 2, this.length + bytes.length));
      grown.set(this.data.subarray(0, this.length));
      this.data = grown;
    }
    this.data.set(bytes, this.length);
    this.length += bytes.length;
  }

  int32(value: number): void {
    for (let shift = 24; shift >= 0; shift -= 8) this.byte((value >>> shift) & 255);
  }

  int64(value: number): void {
    this.int32(Math.floor(value / TWO_POW_32));
    this.int32(value % TWO_POW_32);
  }

  /** HdrHistogram's ZigZag LEB128-64b9B word (values here stay below 2^54, so at most 8 bytes). */
  word(signed: number): void {
    let value = signed >= 0 ? signed * 2 : -signed * 2 - 1;
    while (value >= 128) {
      this.byte((value % 128) | 128);
      value = Math.floor(value / 128);
    }
    this.byte(value);
  }

  view(): Uint8Array {
    return this.data.subarray(0, this.length);
  }
}

const int32At = (data: Uint8Array, at: number): number =>
  ((data[at]! << 24) | (data[at + 1]! << 16) | (data[at + 2]! << 8) | data[at + 3]!) >>> 0;

/**
 * HdrHistogram's V2 compressed base64 encoding of `length` counts (`counts[0..length)`), byte for byte what
 * hdr-histogram-js writes for the same histogram: a header (digits, lowest and highest trackable value), the
 * counts as ZigZag LEB128 words with runs of zeros as negative run lengths, deflated, base64.
 */
export function encodeHdr(
  counts: Float64Array,
  length: number,
  significantDigits: number,
  highestTrackableValue: number,
): string {
  const payload = new Bytes(HEADER_BYTES + 16 + length);
  payload.int32(V2_COOKIE);
  payload.int32(0); // the payload length, set below
  payload.int32(1); // normalizing index offset, as hdr-histogram-js writes it
  payload.int32(significantDigits);
  payload.int64(1); // lowest discernible value: whole microseconds
  payload.int64(highestTrackableValue);
  payload.int64(1); // integer-to-double conversion ratio, as hdr-histogram-js writes it
  const limit = Math.max(length, 1);
  for (let i = 0; i < limit; ) {
    const count = counts[i++] ?? 0;
    if (count !== 0) {
      payload.word(count);
      continue;
    }
    let zeros = 1;
    while (i < limit && (counts[i] ?? 0) === 0) {
      zeros++;
      i++;
    }
    payload.word(zeros > 1 ? -zeros : 0);
  }
  const data = payload.view();
  const payloadLength = data.length - HEADER_BYTES;
  data[4] = payloadLength >>> 24;
  data[5] = (payloadLength >>> 16) & 255;
  data[6] = (payloadLength >>> 8) & 255;
  data[7] = payloadLength & 255;
  const compressed = deflate(data) as Uint8Array;
  const framed = new Bytes(8 + compressed.byteLength);
  framed.int32(V2_COMPRESSED_COOKIE);
  framed.int32(compressed.byteLength);
  framed.array(compressed);
  return toBase64(framed.view());
}

/** Reads {@link encodeHdr}'s strings (and any V2 compressed histogram); throws with a reason on bad input. */
export function decodeHdr(text: string): HdrCounts {
  const framed = fromBase64(text);
  if (framed.length < 8 || (int32At(framed, 0) & ~0xf0) !== (V2_COMPRESSED_COOKIE & ~0xf0)) {
    throw new Error('Encoding not supported, only V2 is supported');
  }
  const compressedLength = int32At(framed, 4);
  if (8 + compressedLength > framed.length) throw new Error('truncated compressed histogram');
  const data = inflate(framed.subarray(8, 8 + compressedLength)) as Uint8Array;
  if (data.length < HEADER_BYTES || (int32At(data, 0) & ~0xf0) !== (V2_COOKIE & ~0xf0)) {
    throw new Error('The buffer does not contain a Histogram (no valid V2 encoding cookie found)');
  }
  const payloadLength = int32At(data, 4);
  const significantDigits = int32At(data, 12);
  const lowestDiscernibleValue = int32At(data, 16) * TWO_POW_32 + int32At(data, 20);
  const highestTrackableValue = int32At(data, 24) * TWO_POW_32 + int32At(data, 28);
  const end = HEADER_BYTES + payloadLength;
  if (end > data.length) throw new Error('truncated histogram payload');
  if (!Number.isInteger(significantDigits) || significantDigits < 1 || significantDigits > 5) {
    throw new Error(`precision of ${significantDigits} significant digits (expected 1 to 5)`);
  }
  // No index of a value below 2^63 reaches 64 sub-bucket half counts: bounds what a hostile run of zeros allocates.
  const indexLimit = 64 * 2 ** Math.ceil(Math.log2(2 * 10 ** significantDigits));
  let counts = new Float64Array(64);
  let index = 0;
  for (let at = HEADER_BYTES; at < end; ) {
    let value = 0;
    let scale = 1;
    for (let k = 0; ; k++) {
      if (at >= end) throw new Error('truncated count');
      const byte = data[at++]!;
      // The 9th byte of a word carries 8 bits.
      if (k === 8) {
        value += byte * scale;
        break;
      }
      value += (byte & 127) * scale;
      scale *= 128;
      if (byte < 128) break;
    }
    const count = value % 2 === 0 ? value / 2 : -(value + 1) / 2;
    if (count < 0) {
      index -= count;
      continue;
    }
    if (index >= indexLimit) throw new Error(`a count at index ${index}, past the histogram's range`);
    if (index >= counts.length) {
      const grown = new Float64Array(Math.max(counts.length * 2, index + 1));
      grown.set(counts);
      counts = grown;
    }
    counts[index++] = count;
  }
  return { significantDigits, lowestDiscernibleValue, highestTrackableValue, counts };
}
