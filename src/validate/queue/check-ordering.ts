import { VirtualClock } from '../../engine/index.ts';
import { MESSAGE_PRIORITIES, type Message } from '../../protocol/index.ts';
import { checkMessage } from './check-message.ts';
import { describeUnfinished, driveCheck } from './drive-check.ts';
import type { QueueCheck, QueueCheckOutcome } from './queue-check.ts';
import { RecordingCore } from './recording-core.ts';
import { withProcessor } from './with-processor.ts';

const AGENTS = ['Agent-1', 'Agent-2', 'Agent-3'];

/** Message `i` of the ordering check: every fifth urgent, senders and recipients rotating. */
function orderingMessage(index: number): Message {
  return checkMessage({
    index,
    prefix: 'fifo',
    priority: index % 5 === 4 ? 'urgent' : 'regular',
    sender: AGENTS[index % 3],
    recipient: AGENTS[(index + 1) % 3],
  });
}

/**
 * Enqueues a backlog, processes it with batches in parallel, and compares the first delivery of every message
 * with the enqueue order within its priority, message by message.
 */
export const checkOrdering: QueueCheck = async ({ subject, limits }): Promise<QueueCheckOutcome> => {
  const clock = new VirtualClock();
  const core = new RecordingCore({ clock, latencyMs: 1 });
  const total = limits.messages;
  const sent: Message[] = [];
  const run = await driveCheck(
    clock,
    () =>
      withProcessor(
        subject,
        { clock, core, capacity: total + 1, agents: AGENTS, batchSize: 10, concurrency: 2 },
        async (queue, processor) => {
          for (let index = 0; index < total; index++) {
            const message = orderingMessage(index);
            await queue.enqueue(message);
            sent.push(message);
          }
          await processor.drain();
        },
      ),
    600_000,
  );
  const failures: string[] = [];
  if (run.status !== 'done') failures.push(describeUnfinished(run, 'Processing the backlog'));
  const first = core.firstCalls();
  let outOfOrder = 0;
  let missingCount = 0;
  // Grouped by the priority each message was sent with: a queue that rewrites it must not hide here.
  const sentPriority = new Map(sent.map((message) => [message.id, message.priority]));
  for (const priority of MESSAGE_PRIORITIES) {
    const expected = sent.filter((message) => message.priority === priority).map((message) => message.id);
    const actual = first
      .filter((call) => sentPriority.get(call.messageId) === priority)
      .map((call) => call.messageId);
    const mismatches = expected.filter((id, i) => actual[i] !== undefined && actual[i] !== id).length;
    const firstMismatch = expected.findIndex((id, i) => actual[i] !== undefined && actual[i] !== id);
    if (mismatches > 0) {
      outOfOrder += mismatches;
      failures.push(
        `${mismatches} of ${expected.length} ${priority} message(s) were delivered out of FIFO order; the first ` +
          `at position ${firstMismatch + 1}: expected ${expected[firstMismatch]}, got ${actual[firstMismatch]}.`,
      );
    }
    if (actual.length < expected.length) missingCount += expected.length - actual.length;
  }
  if (missingCount > 0) failures.push(`${missingCount} message(s) were never delivered.`);
  return {
    name: 'ordering',
    ok: failures.length === 0,
    summary: `${first.length}/${total} delivered, ${outOfOrder} out of FIFO order`,
    failures,
    measured: {
      messages: total,
      delivered: first.length,
      out_of_order: outOfOrder,
      never_delivered: missingCount,
    },
  };
};
