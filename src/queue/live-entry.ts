import type { Message } from '../protocol/index.ts';
import type { QueueEntry, QueueEntryStatus } from './queue-entry.ts';

/** The queue's mutable bookkeeping for one live entry; callers only ever see {@link LiveEntry.snapshot}s. */
export class LiveEntry {
  readonly entryId: string;
  readonly sequence: number;
  readonly message: Message;
  readonly urgent: boolean;
  readonly enqueuedAt: number;
  status: QueueEntryStatus = 'pending';
  attempts: number;
  deliveredTo: readonly string[];
  availableAt: number;
  leaseUntil = 0;
  lastError: string | undefined;
  /** An ack or fail is being journaled: the entry is neither re-leased nor expired until it is written. */
  settling = false;
  /** Slots of the lease FIFO that point at this entry; only the newest (the last pushed) is current. */
  leaseSlots = 0;

  /** Wraps a journaled entry (new or recovered) as pending. */
  constructor(entry: QueueEntry) {
    this.entryId = entry.entryId;
    this.sequence = entry.sequence;
    this.message = entry.message;
    this.urgent = entry.message.priority === 'urgent';
    this.enqueuedAt = entry.enqueuedAt;
    this.attempts = entry.attempts;
    this.deliveredTo = entry.deliveredTo;
    this.availableAt = entry.availableAt;
    this.lastError = entry.lastError;
  }

  /** A JSON-plain copy of the entry's current state, as `QueueEntry`. */
  snapshot(): QueueEntry {
    const status = this.status;
    const entry: {
      -readonly [K in keyof QueueEntry]: QueueEntry[K];
    } = {
      entryId: this.entryId,
      sequence: this.sequence,
      message: this.message,
      status,
      attempts: this.attempts,
      deliveredTo: this.deliveredTo,
      enqueuedAt: this.enqueuedAt,
      availableAt: this.availableAt,
    };
    if (status === 'processing') entry.leaseUntil = this.leaseUntil;
    if (this.lastError !== undefined) entry.lastError = this.lastError;
    return entry;
  }
}
