import { VirtualClock } from '../../engine/index.ts';
import { StressError } from '../../protocol/index.ts';
import { MemoryQueueStore, type MessageQueue } from '../../queue/index.ts';
import { checkMessage } from './check-message.ts';
import { describeUnfinished, driveCheck } from './drive-check.ts';
import type { QueueCheck, QueueCheckOutcome } from './queue-check.ts';

interface Offer {
  readonly accepted: string[];
  full: number;
  readonly otherErrors: string[];
}

async function offer(queue: MessageQueue, from: number, count: number): Promise<Offer> {
  const result: Offer = { accepted: [], full: 0, otherErrors: [] };
  for (let index = from; index < from + count; index++) {
    const message = checkMessage({ index, prefix: 'cap' });
    try {
      await queue.enqueue(message);
      result.accepted.push(message.id);
    } catch (error) {
      if (StressError.is(error, 'ERR_QUEUE_FULL')) result.full++;
      else result.otherErrors.push(error instanceof Error ? error.message : String(error));
    }
  }
  return result;
}

/**
 * Offers 1.5 × capacity messages to a queue of that capacity: exactly `capacity` must be accepted and every
 * other one refused with `ERR_QUEUE_FULL`; every accepted message must then be in the queue (dequeued once);
 * acking some must free exactly that much room.
 */
export const checkCapacity: QueueCheck = async ({ subject, limits }): Promise<QueueCheckOutcome> => {
  const clock = new VirtualClock();
  const capacity = limits.capacity;
  const offered = Math.ceil(capacity * 1.5);
  const freed = Math.min(10, capacity);
  const failures: string[] = [];
  const run = await driveCheck(
    clock,
    async () => {
      const queue = await subject.openQueue({ store: new MemoryQueueStore(), clock, capacity });
      try {
        const first = await offer(queue, 0, offered);
        const taken = queue.dequeue(offered * 2);
        for (const entry of taken.slice(0, freed)) await queue.ack(entry.entryId);
        const refill = await offer(queue, offered, freed + 1);
        return { first, taken, refill };
      } finally {
        await queue.close();
      }
    },
    60_000,
  );
  if (run.status !== 'done') {
    return {
      name: 'capacity',
      ok: false,
      summary: 'did not finish',
      failures: [describeUnfinished(run, 'Filling the queue')],
      measured: { capacity, offered },
    };
  }
  const { first, taken, refill } = run.value;
  if (first.accepted.length !== capacity) {
    failures.push(
      `Accepted ${first.accepted.length} of ${offered} messages, expected exactly the capacity ${capacity}.`,
    );
  }
  if (first.full !== offered - first.accepted.length || first.full !== offered - capacity) {
    failures.push(
      `Refused ${first.full} message(s) with ERR_QUEUE_FULL, expected ${offered - capacity} (every message past the limit).`,
    );
  }
  if (first.otherErrors.length > 0) {
    failures.push(
      `${first.otherErrors.length} enqueue(s) failed with another error: ${first.otherErrors[0]}`,
    );
  }
  const takenIds = taken.map((entry) => entry.message.id);
  const inQueue = new Set(takenIds);
  const lost = first.accepted.filter((id) => !inQueue.has(id));
  if (lost.length > 0) {
    failures.push(
      `${lost.length} accepted message(s) are not in the queue (lost), e.g. ${lost.slice(0, 3).join(', ')}.`,
    );
  }
  const accepted = new Set(first.accepted);
  const stray = takenIds.filter((id) => !accepted.has(id)).length;
  const twice = takenIds.length - inQueue.size;
  if (stray > 0 || twice > 0) {
    failures.push(`The queue handed out ${stray} message(s) it never accepted and ${twice} more than once.`);
  }
  if (refill.accepted.length !== freed || refill.full !== 1) {
    failures.push(
      `After acking ${freed}, ${refill.accepted.length} of ${freed + 1} new messages were accepted and ${refill.full} ` +
        `refused; expected ${freed} accepted and 1 refused.`,
    );
  }
  return {
    name: 'capacity',
    ok: failures.length === 0,
    summary: `capacity ${capacity}: ${first.accepted.length}/${offered} accepted, ${first.full} ERR_QUEUE_FULL, ${lost.length} lost`,
    failures,
    measured: {
      capacity,
      offered,
      accepted: first.accepted.length,
      rejected_full: first.full,
      other_errors: first.otherErrors.length,
      in_queue: inQueue.size,
      lost: lost.length,
      refill_accepted: refill.accepted.length,
      refill_rejected_full: refill.full,
    },
  };
};
