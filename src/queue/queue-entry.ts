import type { Message } from '../protocol/index.ts';

/** Where an entry is in its life: pending → processing → delivered, or → failed (retry) → dead-lettered. */
export type QueueEntryStatus = 'pending' | 'processing' | 'delivered' | 'dead_lettered';

/** One message in the queue with its delivery state. JSON-plain, so a store can journal it as is. */
export interface QueueEntry {
  /** The queue's own id for the entry (unique per queue). */
  readonly entryId: string;
  /** Monotonic enqueue sequence; FIFO within a priority follows it. */
  readonly sequence: number;
  readonly message: Message;
  readonly status: QueueEntryStatus;
  /** Delivery attempts made so far (a broadcast attempt covers all its remaining recipients). */
  readonly attempts: number;
  /** Recipients already delivered to: a retried broadcast only re-attempts the others. */
  readonly deliveredTo: readonly string[];
  /** Clock time the entry was accepted. */
  readonly enqueuedAt: number;
  /** Clock time before which the entry is not handed out (retry backoff). */
  readonly availableAt: number;
  /** Clock time the current lease ends, while `processing`. */
  readonly leaseUntil?: number;
  /** The error of the last failed attempt. */
  readonly lastError?: string;
}
