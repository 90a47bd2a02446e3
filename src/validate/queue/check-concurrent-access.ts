import { VirtualClock } from '../../engine/index.ts';
import type { Message } from '../../protocol/index.ts';
import { FileQueueStore } from '../../queue/file-store/file-queue-store.ts';
import type { QueueStore } from '../../queue/index.ts';
import { checkMessage } from './check-message.ts';
import { describeUnfinished, driveCheck } from './drive-check.ts';
import type { QueueCheck, QueueCheckOutcome } from './queue-check.ts';
import { type RecordedCall, RecordingCore } from './recording-core.ts';

const AGENTS = ['Agent-1', 'Agent-2', 'Agent-3', 'Agent-4'];

/** Holds the virtual clock still during each real file operation, so time moves only when the I/O is done. */
function heldStore(store: QueueStore, clock: VirtualClock): QueueStore {
  const held = async <T>(work: () => Promise<T>): Promise<T> => {
    const release = clock.hold();
    try {
      return await work();
    } finally {
      release();
    }
  };
  return {
    open: () => held(() => store.open()),
    append: (records) => held(() => store.append(records)),
    close: () => held(() => store.close()),
  };
}

/** Calls after the first that no earlier `false` answer for the same message and recipient explains. */
function unexplainedDuplicates(calls: readonly RecordedCall[]): { count: number; example: string } {
  const byUnit = new Map<string, RecordedCall[]>();
  for (const call of calls) {
    const key = `${call.messageId} -> ${call.recipient}`;
    const list = byUnit.get(key) ?? [];
    list.push(call);
    byUnit.set(key, list);
  }
  let count = 0;
  let example = '';
  for (const [unit, list] of byUnit) {
    for (let i = 1; i < list.length; i++) {
      if (list.slice(0, i).some((call) => !call.answer)) continue;
      count++;
      if (example === '')
        example = `${unit} delivered ${list.length} times, every earlier attempt acknowledged`;
    }
  }
  return { count, example };
}

/**
 * Several producers enqueue at once while two processors share one queue on one fresh file store; the core
 * delivers some messages but answers `false` (so a retry, and a duplicate, is legitimate). Every acknowledged
 * message must be delivered, no duplicate may lack a failed attempt before it, and after a clean close the
 * store, reopened, must hold nothing live.
 */
export const checkConcurrentAccess: QueueCheck = async ({
  subject,
  limits,
  tempDirectory,
}): Promise<QueueCheckOutcome> => {
  const clock = new VirtualClock();
  const directory = await tempDirectory();
  const core = new RecordingCore({
    clock,
    latencyMs: 1,
    deliverButReportFailure: ({ messageId, attempt }) => attempt === 1 && messageId.endsWith('7'),
  });
  const { producers, messages: total } = limits;
  const acknowledged: string[] = [];
  const enqueueErrors: string[] = [];
  let leftLive = 0;
  const run = await driveCheck(
    clock,
    async () => {
      const store = heldStore(new FileQueueStore({ directory }), clock);
      const queue = await subject.openQueue({
        store,
        clock,
        capacity: total + 1,
        retry: { maxAttempts: 5, baseDelayMs: 20, factor: 2 },
      });
      const processors = [0, 1].map(() =>
        subject.createProcessor({
          queue,
          messagingCore: core,
          clock,
          agents: AGENTS,
          batchSize: 10,
          concurrency: 2,
        }),
      );
      const runs = processors.map((processor) => processor.run());
      const produce = async (producer: number): Promise<void> => {
        for (let index = producer; index < total; index += producers) {
          const message: Message = checkMessage({
            index,
            prefix: `p${producer}`,
            sender: AGENTS[producer % AGENTS.length],
            recipient: AGENTS[(producer + 1 + index) % AGENTS.length],
          });
          try {
            await queue.enqueue(message);
            acknowledged.push(message.id);
          } catch (error) {
            enqueueErrors.push(error instanceof Error ? error.message : String(error));
          }
          if (index % 7 === 0) await clock.sleep(1);
        }
      };
      try {
        await Promise.all(Array.from({ length: producers }, (_, producer) => produce(producer)));
        await queue.whenIdle();
      } finally {
        await Promise.all(processors.map((processor) => processor.stop()));
        await Promise.allSettled(runs);
        await queue.close();
      }
      const reopened = heldStore(new FileQueueStore({ directory }), clock);
      const recovered = await reopened.open();
      leftLive = recovered.entries.length;
      await reopened.close();
    },
    600_000,
  );
  const failures: string[] = [];
  if (run.status !== 'done') failures.push(describeUnfinished(run, 'Producing and processing'));
  if (enqueueErrors.length > 0) {
    failures.push(`${enqueueErrors.length} enqueue(s) failed: ${enqueueErrors[0]}`);
  }
  const delivered = new Set(core.calls.map((call) => call.messageId));
  const lost = acknowledged.filter((id) => !delivered.has(id));
  if (lost.length > 0) {
    failures.push(
      `${lost.length} acknowledged message(s) were never delivered (lost), e.g. ${lost.slice(0, 3).join(', ')}.`,
    );
  }
  const known = new Set(acknowledged);
  const stray = [...delivered].filter((id) => !known.has(id));
  if (stray.length > 0) {
    failures.push(
      `${stray.length} delivered message(s) were never acknowledged to a producer, e.g. ${stray[0]}.`,
    );
  }
  const duplicates = unexplainedDuplicates(core.calls);
  if (duplicates.count > 0) {
    failures.push(
      `${duplicates.count} duplicate deliver(ies) beyond at-least-once (no failed attempt before them), e.g. ${duplicates.example}.`,
    );
  }
  if (leftLive > 0) {
    failures.push(`The file store, reopened after a clean close, still holds ${leftLive} live entr(ies).`);
  }
  const legitimate = core.calls.length - delivered.size - duplicates.count;
  return {
    name: 'concurrent_access',
    ok: failures.length === 0,
    summary:
      `${producers} producers, 2 processors: ${acknowledged.length}/${total} acknowledged, ${lost.length} lost, ` +
      `${duplicates.count} unexplained duplicate(s)`,
    failures,
    measured: {
      producers,
      processors: 2,
      messages: total,
      acknowledged: acknowledged.length,
      delivered: delivered.size,
      lost: lost.length,
      deliveries: core.calls.length,
      retried_duplicates: Math.max(0, legitimate),
      unexplained_duplicates: duplicates.count,
      live_after_reopen: leftLive,
    },
  };
};
