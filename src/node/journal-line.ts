import { crc32 } from 'node:zlib';

/** The result of decoding one journal or snapshot line: the parsed JSON value, or why the line is bad. */
export type DecodedJournalLine =
  | { readonly ok: true; readonly value: unknown }
  | { readonly ok: false; readonly reason: string };

// `<8 hex digits of CRC-32 over the JSON text> <JSON>`: the checksum comes first so a torn line can never
// end with a checksum that happens to match a shortened JSON text.
const LINE = /^([0-9a-f]{8}) (.*)$/s;

function checksumOf(json: string): string {
  return crc32(json).toString(16).padStart(8, '0');
}

/** Encodes a JSON-plain value as one checksummed line, newline included. */
export function encodeJournalLine(value: unknown): string {
  return journalLineOf(JSON.stringify(value));
}

/** One checksummed line, newline included, around JSON text already made. */
export function journalLineOf(json: string): string {
  return `${checksumOf(json)} ${json}\n`;
}

/** Decodes one line (without its newline), checking the checksum before parsing the JSON. */
export function decodeJournalLine(line: string): DecodedJournalLine {
  const match = LINE.exec(line);
  if (match === null) return { ok: false, reason: 'the line does not start with an 8-digit hex checksum' };
  const [, expected, json] = match as unknown as [string, string, string];
  const actual = checksumOf(json);
  if (actual !== expected) {
    return { ok: false, reason: `checksum mismatch (line says ${expected}, content hashes to ${actual})` };
  }
  try {
    return { ok: true, value: JSON.parse(json) };
  } catch (error) {
    return { ok: false, reason: `invalid JSON (${(error as Error).message})` };
  }
}
