import type { QueueEntry } from './queue-entry.ts';

/**
 * One durable change to the queue, as a store journals it. Leases are not journaled: after a restart every
 * entry that was `processing` is `pending` again (its processor is gone), which is what at-least-once needs.
 */
export type QueueRecord =
  | { readonly op: 'enqueue'; readonly entry: QueueEntry }
  | { readonly op: 'progress'; readonly entryId: string; readonly recipient: string }
  | {
      readonly op: 'retry';
      readonly entryId: string;
      readonly attempts: number;
      readonly availableAt: number;
      readonly lastError: string;
    }
  | { readonly op: 'ack'; readonly entryId: string; readonly at: number }
  | {
      readonly op: 'dead';
      readonly entryId: string;
      readonly attempts: number;
      readonly lastError: string;
      readonly at: number;
    };
