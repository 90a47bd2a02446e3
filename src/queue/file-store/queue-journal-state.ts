import type { QueueEntry } from '../queue-entry.ts';
import type { QueueRecord } from '../queue-record.ts';
import type { RecoveredQueue } from '../queue-store.ts';

/** Whether the store knows an entry as live (pending or processing) or dead-lettered. */
export type EntryStanding = 'live' | 'dead';

/**
 * Why `record` cannot follow a state in which entries stand as `standingOf` says, or `undefined` when it can.
 * A record about an entry the journal never enqueued (or already acked or dead-lettered) means the journal
 * lost or reordered records, so recovery treats it as corruption and `append` refuses to write it.
 */
export function recordProblem(
  record: QueueRecord,
  standingOf: (entryId: string) => EntryStanding | undefined,
): string | undefined {
  const entryId = record.op === 'enqueue' ? record.entry.entryId : record.entryId;
  const standing = standingOf(entryId);
  if (record.op === 'enqueue') {
    return standing === undefined ? undefined : `entry "${entryId}" is enqueued while already ${standing}`;
  }
  if (standing === undefined) return `"${record.op}" refers to unknown entry "${entryId}"`;
  if (standing === 'dead') return `"${record.op}" refers to dead-lettered entry "${entryId}"`;
  return undefined;
}

/** The entry a record is about and its standing once the record applies (`undefined` once acked). */
export function standingAfter(record: QueueRecord): [entryId: string, standing: EntryStanding | undefined] {
  switch (record.op) {
    case 'enqueue':
      return [record.entry.entryId, 'live'];
    case 'ack':
      return [record.entryId, undefined];
    case 'dead':
      return [record.entryId, 'dead'];
    default:
      return [record.entryId, 'live'];
  }
}

/** The durable state of a queue as its journal describes it: live entries, dead letters, last sequence. */
export class QueueJournalState {
  private readonly live = new Map<string, QueueEntry>();
  private readonly dead = new Map<string, QueueEntry>();
  private last: number;
  private keepDead = Number.POSITIVE_INFINITY;

  constructor(
    lastSequence = 0,
    entries: readonly QueueEntry[] = [],
    deadLetters: readonly QueueEntry[] = [],
  ) {
    this.last = lastSequence;
    for (const entry of entries) this.live.set(entry.entryId, asPending(entry));
    for (const entry of deadLetters) this.dead.set(entry.entryId, entry);
  }

  /**
   * Keeps only the newest `keep` dead letters from now on (dropping older ones now), so a store whose entries
   * keep failing does not grow without bound; an entry dropped here is unknown to later records.
   */
  limitDeadLetters(keep: number): void {
    this.keepDead = keep;
    this.trimDeadLetters();
  }

  private trimDeadLetters(): void {
    // A Map iterates in insertion order: the first keys are the oldest dead letters.
    for (const entryId of this.dead.keys()) {
      if (this.dead.size <= this.keepDead) break;
      this.dead.delete(entryId);
    }
  }

  /** The highest sequence number ever enqueued. */
  get lastSequence(): number {
    return this.last;
  }

  /** How many live entries and dead letters the state holds. */
  get size(): number {
    return this.live.size + this.dead.size;
  }

  /** Whether `entryId` is live, dead-lettered, or unknown (`undefined`). */
  standingOf(entryId: string): EntryStanding | undefined {
    if (this.live.has(entryId)) return 'live';
    return this.dead.has(entryId) ? 'dead' : undefined;
  }

  /** Why `record` cannot be applied to this state, or `undefined`. */
  problemWith(record: QueueRecord): string | undefined {
    return recordProblem(record, (id) => this.standingOf(id));
  }

  /** Applies one record that passed {@link problemWith}. */
  apply(record: QueueRecord): void {
    if (record.op === 'enqueue') {
      this.live.set(record.entry.entryId, asPending(record.entry));
      this.last = Math.max(this.last, record.entry.sequence);
      return;
    }
    const entry = this.live.get(record.entryId);
    if (entry === undefined) return;
    switch (record.op) {
      case 'progress':
        if (!entry.deliveredTo.includes(record.recipient)) {
          this.live.set(entry.entryId, { ...entry, deliveredTo: [...entry.deliveredTo, record.recipient] });
        }
        break;
      case 'retry':
        this.live.set(entry.entryId, {
          ...entry,
          attempts: record.attempts,
          availableAt: record.availableAt,
          lastError: record.lastError,
        });
        break;
      case 'ack':
        this.live.delete(entry.entryId);
        break;
      case 'dead':
        this.live.delete(entry.entryId);
        this.dead.set(entry.entryId, {
          ...entry,
          status: 'dead_lettered',
          attempts: record.attempts,
          lastError: record.lastError,
        });
        if (this.dead.size > this.keepDead) this.trimDeadLetters();
        break;
    }
  }

  /** Live entries in sequence order. */
  entries(): QueueEntry[] {
    return [...this.live.values()].sort((a, b) => a.sequence - b.sequence);
  }

  /** Dead letters, oldest first. */
  deadLetters(): QueueEntry[] {
    return [...this.dead.values()];
  }

  /** The state as a queue receives it on open. */
  recovered(warnings: readonly string[]): RecoveredQueue {
    return { entries: this.entries(), deadLetters: this.deadLetters(), lastSequence: this.last, warnings };
  }
}

// Leases are not journaled: an entry that was processing when the store went down is pending again.
function asPending(entry: QueueEntry): QueueEntry {
  const { leaseUntil: _lease, ...rest } = entry;
  return { ...rest, status: 'pending' };
}
