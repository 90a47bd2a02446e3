import { VirtualClock } from '../../engine/index.ts';
import type { Message } from '../../protocol/index.ts';
import { checkMessage } from './check-message.ts';
import { describeUnfinished, driveCheck } from './drive-check.ts';
import type { QueueCheck, QueueCheckOutcome } from './queue-check.ts';
import { RecordingCore } from './recording-core.ts';
import { withProcessor } from './with-processor.ts';

const AGENTS = ['Agent-1', 'Agent-2'];

function priorityMessage(index: number): Message {
  return checkMessage({ index, prefix: 'prio', priority: index % 3 === 2 ? 'urgent' : 'regular' });
}

/**
 * Starts a processor on a backlog of mixed priorities while a producer keeps adding more, then checks every
 * regular message's first delivery: no urgent message accepted at an earlier instant may still be waiting.
 */
export const checkPriority: QueueCheck = async ({ subject, limits }): Promise<QueueCheckOutcome> => {
  const clock = new VirtualClock();
  const core = new RecordingCore({ clock, latencyMs: 1 });
  const total = limits.messages;
  const backlog = Math.floor(total / 2);
  const acceptedAt = new Map<string, number>();
  const urgent: Message[] = [];
  const run = await driveCheck(
    clock,
    () =>
      withProcessor(
        subject,
        { clock, core, capacity: total + 1, agents: AGENTS, batchSize: 5, concurrency: 1 },
        async (queue, processor) => {
          const accept = async (index: number): Promise<void> => {
            const message = priorityMessage(index);
            await queue.enqueue(message);
            acceptedAt.set(message.id, clock.now());
            if (message.priority === 'urgent') urgent.push(message);
          };
          for (let index = 0; index < backlog; index++) await accept(index);
          const running = processor.run();
          for (let index = backlog; index < total; index++) {
            await clock.sleep(2);
            await accept(index);
          }
          await queue.whenIdle();
          await processor.stop();
          await running;
        },
      ),
    600_000,
  );
  const failures: string[] = [];
  if (run.status !== 'done') failures.push(describeUnfinished(run, 'Processing with urgent arrivals'));
  const first = core.firstCalls();
  const startedAt = new Map(first.map((call) => [call.messageId, call.at]));
  let inversions = 0;
  let example = '';
  const urgentIds = new Set(urgent.map((message) => message.id));
  for (const call of first) {
    if (urgentIds.has(call.messageId)) continue;
    const waiting = urgent.find((message) => {
      const accepted = acceptedAt.get(message.id) ?? Number.POSITIVE_INFINITY;
      const started = startedAt.get(message.id) ?? Number.POSITIVE_INFINITY;
      return accepted < call.at && started > call.at;
    });
    if (waiting === undefined) continue;
    inversions++;
    if (example === '') {
      example = `${call.messageId} started at ${call.at} ms while urgent ${waiting.id} (accepted at ${acceptedAt.get(waiting.id)} ms) waited`;
    }
  }
  if (inversions > 0) {
    failures.push(
      `${inversions} regular message(s) started while an older urgent one waited, e.g. ${example}.`,
    );
  }
  const never = total - first.length;
  if (run.status === 'done' && never > 0) failures.push(`${never} message(s) were never delivered.`);
  return {
    name: 'priority',
    ok: failures.length === 0,
    summary: `${urgent.length} urgent among ${total}, ${inversions} priority inversion(s)`,
    failures,
    measured: { messages: total, urgent: urgent.length, delivered: first.length, inversions },
  };
};
