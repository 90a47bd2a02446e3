import { StressError } from '../../protocol/index.ts';
import type { QueueRecord } from '../queue-record.ts';
import { checkJournalHeader } from './journal-header.ts';
import { decodeHeaderLine, decodeJournalLine } from './journal-line.ts';
import { parseQueueRecord } from './parse-queue-record.ts';
import {
  type EntryStanding,
  type QueueJournalState,
  recordProblem,
  standingAfter,
} from './queue-journal-state.ts';
import { type ScannedLine, scanLines } from './scan-lines.ts';

/** A record named in a recovery report: where it was and what it did. */
export interface RecordRef {
  readonly lsn: number;
  readonly line: number;
  readonly op: string;
  readonly entryId?: string;
}

/**
 * The unfinished last group commit of the newest journal, dropped by recovery: a crash mid-write leaves
 * exactly this, and its appends were never acknowledged (they resolve only after the whole commit is synced).
 */
export interface TornTail {
  /** 1-based line and byte offset where the dropped part starts: the file is cut there. */
  readonly line: number;
  readonly offset: number;
  /** Bytes dropped. */
  readonly bytes: number;
  /** What is wrong with the first line that is not intact, or that the commit's last line is missing. */
  readonly reason: string;
  /** The lsn range the commit was written with, as far as its intact lines tell (`last` unknown if none do). */
  readonly firstLsn: number;
  readonly lastLsn: number | undefined;
  /** The records of the commit that could still be read. */
  readonly records: readonly RecordRef[];
}

/** What replaying one journal file found. */
export interface JournalReplay {
  readonly salt: number;
  /** Records applied to the state (those at or below `skipThrough` are checked but not applied). */
  readonly records: number;
  /** The lsn the next line must have. */
  readonly nextLsn: number;
  /** Bytes of intact lines, header included: the file is cut to this length when its tail is torn. */
  readonly intactBytes: number;
  /** Intact lines after the header. */
  readonly lines: number;
  /** The generation the journal was sealed to (its last line says appends moved on), if it was. */
  readonly sealedTo: number | undefined;
  /** Whether the last intact line is the record a store writes when it closes. */
  readonly closed: boolean;
  /** The last record applied or skipped, for the report of what recovery kept. */
  readonly lastRecord: RecordRef | undefined;
  readonly torn: TornTail | undefined;
}

/** How to replay a journal, from what the snapshot and the journals before it said. */
export interface ReplayOptions {
  readonly path: string;
  readonly generation: number;
  /** The lsn the journal must start at, or `undefined` for the first journal after the snapshot. */
  readonly firstLsn: number | undefined;
  /** The snapshot's lsn: lines up to it are already in the state, so they are checked, not applied. */
  readonly skipThrough: number;
  /** Only the newest journal may end in a torn group commit; anywhere else a bad line is corruption. */
  readonly tailMayBeTorn: boolean;
}

/** Builds the error for a damaged journal; the message names the file, the line and the byte offset. */
export function journalCorrupted(path: string, line: number, offset: number, problem: string): StressError {
  return new StressError(
    'ERR_STORE_CORRUPTED',
    `Expected every line of the queue journal \`${path}\` to be intact, but line ${line} (byte ${offset}) ` +
      `is not: ${problem}. The store refuses to open rather than lose or invent entries; restore the ` +
      'directory from a backup, or move it aside to start empty.',
    { details: { path, line, offset } },
  );
}

type Marker = { readonly op: 'seal'; readonly next: number } | { readonly op: 'close' };

function parseMarker(value: unknown, generation: number): Marker | string | undefined {
  const op = (value as { op?: unknown } | null)?.op;
  if (op === 'close') return { op };
  if (op !== 'seal') return undefined;
  const next = (value as { next?: unknown }).next;
  return next === generation + 1
    ? { op, next }
    : `the seal names generation ${String(next)}, not ${generation + 1}`;
}

const refOf = (record: QueueRecord, lsn: number, line: number): RecordRef => ({
  lsn,
  line,
  op: record.op,
  entryId: record.op === 'enqueue' ? record.entry.entryId : record.entryId,
});

function peekRef(json: string, lsn: number, line: number): RecordRef {
  try {
    const record = parseQueueRecord(JSON.parse(json));
    if (record.ok) return refOf(record.value, lsn, line);
    const op = (JSON.parse(json) as { op?: unknown }).op;
    return { lsn, line, op: typeof op === 'string' ? op : '?' };
  } catch {
    return { lsn, line, op: '?' };
  }
}

const UNVERIFIED_LSN_AND_END = /^[0-9a-f]{8} (\d{1,15}) (\d{1,15}) /;

/**
 * The commit end a damaged line still shows, when its lsn is the one expected: unverified, but enough to tell
 * that intact lines after it belong to a later commit (so the damage is not an unfinished write).
 */
function endHint(bytes: Buffer, lsn: number): number | undefined {
  const match = UNVERIFIED_LSN_AND_END.exec(bytes.toString('latin1', 0, 48));
  if (match === null || Number(match[1]) !== lsn || Number(match[2]) < lsn) return undefined;
  return Number(match[2]);
}

/** The group commit being read: its records apply only once its last line (lsn = end) is read. */
interface OpenCommit {
  readonly line: number;
  readonly offset: number;
  readonly firstLsn: number;
  readonly end: number;
  readonly records: QueueRecord[];
  readonly refs: RecordRef[];
  readonly standing: Map<string, EntryStanding | undefined>;
}

/**
 * Replays one journal file into `state`, checking every line: its checksum (salted per file), that lsns run
 * on without a gap, that each group commit is whole, and that every record fits the state. A group commit is
 * applied only once all its lines are read. When `tailMayBeTorn`, bad or missing lines at the very end that
 * belong to one unfinished group commit are reported as torn instead (a crash mid-write leaves exactly that);
 * anything else, such as a bad line with intact later commits after it, throws `ERR_STORE_CORRUPTED` naming
 * the file, line and byte offset.
 */
export async function replayJournal(
  state: QueueJournalState,
  options: ReplayOptions,
): Promise<JournalReplay> {
  const { path, generation, skipThrough } = options;
  let salt = 0;
  let headerBytes = -1;
  let nextLsn = 0;
  let intactBytes = 0;
  let lines = 0;
  let records = 0;
  let sealedTo: number | undefined;
  let closed = false;
  let lastRecord: RecordRef | undefined;
  let commit: OpenCommit | undefined;
  // Set at the first line that is not intact: from then on, lines are only looked at to decide whether what
  // follows is one torn commit (legal at the end of the newest journal) or damage with good data after it.
  let bad: { line: number; offset: number; reason: string; end: number | undefined } | undefined;
  let tornRefs: RecordRef[] = [];
  let failure: StressError | undefined;
  const fail = (line: ScannedLine, problem: string): false => {
    failure = journalCorrupted(path, line.number, line.offset, problem);
    return false;
  };

  const visitHeader = (line: ScannedLine): boolean => {
    if (!line.complete) return fail(line, 'the header line is incomplete');
    const decoded = decodeHeaderLine(line.bytes);
    if (!decoded.ok) return fail(line, `bad header: ${decoded.reason}`);
    const header = checkJournalHeader(decoded.value, generation);
    if (typeof header === 'string') return fail(line, `bad header: ${header}`);
    if (options.firstLsn !== undefined && header.firstLsn !== options.firstLsn) {
      return fail(
        line,
        `the journal starts at lsn ${header.firstLsn}, but the one before it ends at ${options.firstLsn - 1}`,
      );
    }
    if (options.firstLsn === undefined && header.firstLsn > skipThrough + 1) {
      return fail(
        line,
        `the journal starts at lsn ${header.firstLsn}, after the snapshot's lsn ${skipThrough}: lines are missing`,
      );
    }
    salt = header.salt;
    nextLsn = header.firstLsn;
    headerBytes = line.bytes.length + 1;
    intactBytes = headerBytes;
    return true;
  };

  const markBad = (line: ScannedLine, reason: string): boolean => {
    if (!options.tailMayBeTorn || sealedTo !== undefined) return fail(line, reason);
    bad = {
      line: line.number,
      offset: line.offset,
      reason,
      end: commit?.end ?? endHint(line.bytes, nextLsn),
    };
    return true;
  };

  const visitAfterBad = (line: ScannedLine): boolean => {
    const decoded = line.complete ? decodeJournalLine(salt, line.bytes) : undefined;
    if (decoded === undefined || !decoded.ok) return true;
    const { lsn, end, json } = decoded.value;
    const first = commit?.firstLsn ?? nextLsn;
    // An intact line after the damage is fine only as part of the same unfinished commit (a seal or close
    // record is a commit of its own, so it always starts a later one).
    const ref = peekRef(json, lsn, line.number);
    const sameCommit =
      lsn > first && lsn <= end && (bad!.end ?? end) === end && ref.op !== 'seal' && ref.op !== 'close';
    if (!sameCommit) {
      failure = journalCorrupted(
        path,
        bad!.line,
        bad!.offset,
        `${bad!.reason}, and intact lines follow it (line ${line.number}, lsn ${lsn})`,
      );
      return false;
    }
    bad!.end = end;
    tornRefs.push(ref);
    return true;
  };

  const visitLine = (line: ScannedLine): boolean => {
    if (bad !== undefined) return visitAfterBad(line);
    if (!line.complete) return markBad(line, 'the line is incomplete (no newline after it)');
    if (sealedTo !== undefined)
      return fail(line, `a line follows the seal that moved appends to generation ${sealedTo}`);
    const decoded = decodeJournalLine(salt, line.bytes);
    if (!decoded.ok) return markBad(line, decoded.reason);
    const { lsn, end, json } = decoded.value;
    if (lsn !== nextLsn) {
      return fail(
        line,
        `expected lsn ${nextLsn}, got ${lsn}: ${lsn > nextLsn ? 'lines are missing before it' : 'the line is repeated or out of place'}`,
      );
    }
    if (commit !== undefined ? end !== commit.end : end < lsn) {
      return fail(
        line,
        `the line says its group commit ends at lsn ${end}, which does not fit the lines around it`,
      );
    }
    let value: unknown;
    try {
      value = JSON.parse(json);
    } catch (error) {
      return fail(line, `invalid JSON behind a valid checksum (${(error as Error).message})`);
    }
    commit ??= {
      line: line.number,
      offset: line.offset,
      firstLsn: lsn,
      end,
      records: [],
      refs: [],
      standing: new Map(),
    };
    nextLsn = lsn + 1;
    const marker = parseMarker(value, generation);
    if (typeof marker === 'string') return fail(line, marker);
    if (marker !== undefined) {
      if (commit.firstLsn !== lsn || end !== lsn)
        return fail(line, `a "${marker.op}" record shares a group commit`);
      if (marker.op === 'seal') sealedTo = marker.next;
      closed = marker.op === 'close';
    } else {
      const parsed = parseQueueRecord(value);
      if (!parsed.ok) return fail(line, parsed.reason);
      const record = parsed.value;
      const ref = refOf(record, lsn, line.number);
      if (lsn > skipThrough) {
        const pending = commit.standing;
        const problem = recordProblem(record, (id) =>
          pending.has(id) ? pending.get(id) : state.standingOf(id),
        );
        if (problem !== undefined) return fail(line, problem);
        const [id, standing] = standingAfter(record);
        pending.set(id, standing);
        commit.records.push(record);
      }
      commit.refs.push(ref);
      closed = false;
    }
    if (lsn === end) {
      for (const record of commit.records) state.apply(record);
      records += commit.records.length;
      lines += lsn - commit.firstLsn + 1;
      lastRecord = commit.refs.at(-1) ?? lastRecord;
      commit = undefined;
      intactBytes = line.offset + line.bytes.length + 1;
    }
    return true;
  };

  const size = await scanLines(path, (line) => (headerBytes < 0 ? visitHeader(line) : visitLine(line)));
  if (failure !== undefined) throw failure;
  if (headerBytes < 0) throw journalCorrupted(path, 1, 0, 'the file is empty: its header is missing');
  let torn: TornTail | undefined;
  if (commit !== undefined || bad !== undefined) {
    const start = commit ?? bad!;
    const firstLsn = commit?.firstLsn ?? nextLsn;
    if (!options.tailMayBeTorn) {
      throw journalCorrupted(
        path,
        start.line,
        start.offset,
        bad?.reason ?? 'the last group commit is missing lines',
      );
    }
    if (firstLsn <= skipThrough) {
      throw journalCorrupted(
        path,
        start.line,
        start.offset,
        `${bad?.reason ?? 'lines are missing'}, in lines the snapshot says were written whole`,
      );
    }
    tornRefs = [...(commit?.refs ?? []), ...tornRefs];
    torn = {
      line: start.line,
      offset: start.offset,
      bytes: size - start.offset,
      reason: bad?.reason ?? `the group commit's last line (lsn ${commit!.end}) is missing`,
      firstLsn,
      lastLsn: bad === undefined ? commit!.end : bad.end,
      records: tornRefs,
    };
    nextLsn = firstLsn;
    sealedTo = undefined;
    // Whatever the last intact line says, something was being written after it.
    closed = false;
  }
  return { salt, records, nextLsn, intactBytes, lines, sealedTo, closed, lastRecord, torn };
}
