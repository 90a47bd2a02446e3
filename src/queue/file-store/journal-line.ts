import { crc32 } from 'node:zlib';

/**
 * The line formats of a store directory (format 2). Every line starts with 8 hex digits of CRC-32, so a
 * torn line can never end with a checksum that happens to match a shortened text:
 * - a header (first line of a journal or snapshot): `<crc> <json>`, CRC over the JSON alone;
 * - a journal record: `<crc> <lsn> <end> <json>`, CRC over `<lsn> <end> <json>` seeded with the file's salt,
 *   where `lsn` numbers every line of the store and `end` is the lsn of the last line of its group commit;
 * - a snapshot line: `<crc> <json>`, CRC over `<index> <json>` seeded with the file's salt.
 * The salt is random per file, so a line copied from another file (or another store) fails its checksum,
 * and the lsn or index inside the checksum makes a deleted, repeated or moved line fail where it lands.
 */

/** A line decoded: the value it carries, or why it is not intact. */
export type Decoded<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly reason: string };

/** One journal record line decoded. */
export interface JournalLine {
  readonly lsn: number;
  readonly end: number;
  readonly json: string;
}

const hex8 = (n: number): string => n.toString(16).padStart(8, '0');
const HEX8 = /^[0-9a-f]{8}$/;
const SPACE = 0x20;

/** A random 32-bit salt as 8 hex digits, as headers carry it. */
export function parseSalt(text: unknown): number | undefined {
  return typeof text === 'string' && HEX8.test(text) ? Number.parseInt(text, 16) : undefined;
}

/** The salt as headers write it. */
export function formatSalt(salt: number): string {
  return hex8(salt >>> 0);
}

/** Encodes a header: a JSON object on one checksummed line, newline included. */
export function encodeHeaderLine(header: object): string {
  const json = JSON.stringify(header);
  return `${hex8(crc32(json))} ${json}\n`;
}

/** Encodes one journal record line, newline included. */
export function encodeJournalLine(salt: number, lsn: number, end: number, json: string): string {
  const body = `${lsn} ${end} ${json}`;
  return `${hex8(crc32(body, salt))} ${body}\n`;
}

/** Encodes line `index` (1 = the first line after the header) of a snapshot, newline included. */
export function encodeSnapshotLine(salt: number, index: number, json: string): string {
  return `${hex8(crc32(json, crc32(`${index} `, salt)))} ${json}\n`;
}

function checksumField(line: Buffer): Decoded<number> {
  if (line.length < 9 || line[8] !== SPACE) {
    return { ok: false, reason: 'the line does not start with an 8-digit hex checksum' };
  }
  const text = line.toString('latin1', 0, 8);
  if (!HEX8.test(text)) return { ok: false, reason: 'the line does not start with an 8-digit hex checksum' };
  return { ok: true, value: Number.parseInt(text, 16) };
}

const mismatch = (expected: number, actual: number): { readonly ok: false; readonly reason: string } => ({
  ok: false,
  reason: `checksum mismatch (line says ${hex8(expected)}, content hashes to ${hex8(actual)})`,
});

function parseJson(text: string): Decoded<unknown> {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    return { ok: false, reason: `invalid JSON (${(error as Error).message})` };
  }
}

/** Decodes a header line (without its newline) to its JSON object. */
export function decodeHeaderLine(line: Buffer): Decoded<Record<string, unknown>> {
  const expected = checksumField(line);
  if (!expected.ok) return expected;
  const body = line.subarray(9);
  const actual = crc32(body);
  if (actual !== expected.value) return mismatch(expected.value, actual);
  const parsed = parseJson(body.toString('utf8'));
  if (!parsed.ok) return parsed;
  const value = parsed.value;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, reason: 'the header is not a JSON object' };
  }
  return { ok: true, value: value as Record<string, unknown> };
}

const LSN_AND_END = /^(\d{1,15}) (\d{1,15}) /;

/** Decodes a journal record line (without its newline), checking its checksum against the file's salt. */
export function decodeJournalLine(salt: number, line: Buffer): Decoded<JournalLine> {
  const expected = checksumField(line);
  if (!expected.ok) return expected;
  const body = line.subarray(9);
  const actual = crc32(body, salt);
  if (actual !== expected.value) return mismatch(expected.value, actual);
  const text = body.toString('utf8');
  const match = LSN_AND_END.exec(text);
  if (match === null) return { ok: false, reason: 'the line has no `<lsn> <end>` after its checksum' };
  const lsn = Number(match[1]);
  const end = Number(match[2]);
  return { ok: true, value: { lsn, end, json: text.slice(match[0].length) } };
}

/** Decodes line `index` of a snapshot (without its newline) to its JSON value. */
export function decodeSnapshotLine(salt: number, index: number, line: Buffer): Decoded<unknown> {
  const expected = checksumField(line);
  if (!expected.ok) return expected;
  const body = line.subarray(9);
  const actual = crc32(body, crc32(`${index} `, salt));
  if (actual !== expected.value) {
    const moved = mismatch(expected.value, actual);
    return {
      ok: false,
      reason: `${moved.reason}: the line is damaged, or a line before it is missing or extra`,
    };
  }
  return parseJson(body.toString('utf8'));
}
