import { StressError } from '../protocol/index.ts';
import type { QueueEntry } from './queue-entry.ts';
import type { QueueRecord } from './queue-record.ts';
import type { RecoveredQueue } from './queue-store.ts';
import { RingBuffer } from './ring-buffer.ts';

/**
 * The durable state a sequence of {@link QueueRecord}s describes: live entries (all pending: leases are not
 * journaled) and the newest dead letters. Stores apply every record they make durable to one, and answer
 * `open()` from it.
 */
export class QueueJournal {
  readonly #live = new Map<string, QueueEntry>();
  /** Recipients reached by entries still live, beyond their `deliveredTo`: O(1) per progress record. */
  readonly #reached = new Map<string, Set<string>>();
  readonly #deadLetters = new RingBuffer<QueueEntry>();
  readonly #keepDeadLetters: number;
  #lastSequence = 0;

  /** Creates an empty journal keeping at most `keepDeadLetters` dead letters (the newest). */
  constructor(keepDeadLetters = Number.POSITIVE_INFINITY) {
    this.#keepDeadLetters = keepDeadLetters;
  }

  /** Number of live entries. */
  get size(): number {
    return this.#live.size;
  }

  /**
   * Applies one record. Throws `ERR_STORE_CORRUPTED` for a record about an entry the journal does not
   * hold (or an `enqueue` of one it already holds), since no queue writes those.
   */
  apply(record: QueueRecord): void {
    if (record.op === 'enqueue') {
      const { entry } = record;
      const size = this.#live.size;
      // Entries are immutable snapshots: keep the record's own object and replace it on change.
      this.#live.set(entry.entryId, entry);
      if (this.#live.size === size) throw corrupted(record, 'an entry id not enqueued before');
      if (entry.sequence > this.#lastSequence) this.#lastSequence = entry.sequence;
      return;
    }
    // The hot path (enqueue, then ack) costs one map operation per record.
    if (record.op === 'ack') {
      if (!this.#live.delete(record.entryId)) throw corrupted(record, 'the id of a live entry');
      if (this.#reached.size > 0) this.#reached.delete(record.entryId);
      return;
    }
    const entry = this.#live.get(record.entryId);
    if (entry === undefined) throw corrupted(record, 'the id of a live entry');
    switch (record.op) {
      case 'progress': {
        let reached = this.#reached.get(entry.entryId);
        if (reached === undefined) {
          reached = new Set(entry.deliveredTo);
          this.#reached.set(entry.entryId, reached);
        }
        reached.add(record.recipient);
        return;
      }
      case 'retry':
        this.#live.set(entry.entryId, {
          ...entry,
          attempts: record.attempts,
          availableAt: record.availableAt,
          lastError: record.lastError,
        });
        return;
      case 'dead':
        this.#live.delete(entry.entryId);
        if (this.#keepDeadLetters === 0) {
          this.#reached.delete(entry.entryId);
          return;
        }
        this.#deadLetters.push({
          ...this.#withReached(entry),
          status: 'dead_lettered',
          attempts: record.attempts,
          lastError: record.lastError,
        });
        if (this.#deadLetters.size > this.#keepDeadLetters) this.#deadLetters.shift();
        this.#reached.delete(entry.entryId);
        return;
    }
  }

  /** The state a queue opening now recovers: live entries as pending, in sequence order. */
  recover(warnings: readonly string[] = []): RecoveredQueue {
    const entries = [...this.#live.values()].map((stored) => {
      const entry = this.#withReached(stored);
      return entry.status === 'pending' && entry.leaseUntil === undefined
        ? entry
        : withoutLease({ ...entry, status: 'pending' });
    });
    entries.sort((a, b) => a.sequence - b.sequence);
    return {
      entries,
      deadLetters: this.#deadLetters.toArray(),
      lastSequence: this.#lastSequence,
      warnings,
    };
  }

  #withReached(entry: QueueEntry): QueueEntry {
    const reached = this.#reached.get(entry.entryId);
    return reached === undefined || reached.size === entry.deliveredTo.length
      ? entry
      : { ...entry, deliveredTo: [...reached] };
  }
}

function withoutLease(entry: QueueEntry): QueueEntry {
  const { leaseUntil: _leaseUntil, ...rest } = entry;
  return rest;
}

function corrupted(record: QueueRecord, expected: string): StressError {
  const entryId = record.op === 'enqueue' ? record.entry.entryId : record.entryId;
  return new StressError(
    'ERR_STORE_CORRUPTED',
    `Expected the \`${record.op}\` record to name ${expected}, got entry "${entryId}". ` +
      'The journal is out of order or was edited; restore it from a backup or start with an empty store.',
    { details: { op: record.op, entryId } },
  );
}
