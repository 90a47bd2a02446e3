import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MemoryQueueStore, MessageQueue, MessageQueueProcessor } from '../../src/queue/index.ts';
import { makeMessage } from './fixtures.ts';
import { ManualClock } from './manual-clock.ts';
import { type CoreAnswer, ScriptedCore } from './scripted-core.ts';

const AGENTS = ['Agent-1', 'Agent-2', 'Agent-3'];
const MAX_ATTEMPTS = 3;

const answer = fc.constantFrom<CoreAnswer | 'throw'>(true, true, true, false, 'throw', 'hang');
const target = fc.constantFrom('ALL', ...AGENTS);

describe('MessageQueueProcessor invariants', () => {
  it('delivers every message to every recipient once, or dead-letters exactly the recipients it missed', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(target, { minLength: 1, maxLength: 12 }),
        fc.array(answer, { minLength: 1, maxLength: 40 }),
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 1, max: 3 }),
        async (recipients, answers, batchSize, concurrency) => {
          const clock = new ManualClock();
          const queue = await MessageQueue.open({
            store: new MemoryQueueStore(),
            clock,
            retry: { maxAttempts: MAX_ATTEMPTS, baseDelayMs: 1000, factor: 2 },
          });
          let call = 0;
          const core = new ScriptedCore(clock, () => {
            const next = answers[call++ % answers.length]!;
            return next === 'throw' ? new Error('core threw') : next;
          });
          const dead = new Map<string, readonly string[]>();
          const processor = new MessageQueueProcessor({
            queue,
            messagingCore: core,
            clock,
            agents: AGENTS,
            batchSize,
            concurrency,
            deliveryTimeoutMs: 500,
            events: { retried: () => undefined, deadLettered: (m, missed) => dead.set(m.id, missed) },
          });
          for (const [i, recipient] of recipients.entries())
            await processor.submit(makeMessage(i, { recipient }));
          let drained = false;
          const drain = processor.drain().then(() => {
            drained = true;
          });
          for (let step = 0; step < 100 && !drained; step++) await clock.advance(1000);
          await drain;

          expect(queue.stats()).toMatchObject({ pending: 0, processing: 0, deadLettered: dead.size });
          for (const [i, recipient] of recipients.entries()) {
            const id = `m-${i}`;
            const intended = recipient === 'ALL' ? AGENTS : [recipient];
            const reached = core.calls
              .filter((c, index) => c.messageId === id && answerOf(answers, index) === true)
              .map((c) => c.recipient);
            // No duplicates without crashes or store faults: each recipient is reached at most once.
            expect(new Set(reached).size).toBe(reached.length);
            const missed = intended.filter((agent) => !reached.includes(agent));
            expect(dead.get(id) ?? []).toEqual(missed);
            const attempts = core.calls.filter((c) => c.messageId === id).map((c) => c.attempt);
            expect(Math.max(...attempts)).toBeLessThanOrEqual(MAX_ATTEMPTS);
          }
        },
      ),
      { numRuns: 60 },
    );
  });

  it('loses nothing when store writes fail: every recipient is reached or reported dead-lettered', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(target, { minLength: 1, maxLength: 10 }),
        fc.array(answer, { minLength: 1, maxLength: 30 }),
        fc.integer({ min: 2, max: 6 }),
        async (recipients, answers, failEvery) => {
          const clock = new ManualClock();
          let appends = 0;
          const store = new MemoryQueueStore({
            faults: { beforeAppend: () => (++appends % failEvery === 0 ? new Error('injected') : undefined) },
          });
          const queue = await MessageQueue.open({
            store,
            clock,
            leaseMs: 2000,
            retry: { maxAttempts: MAX_ATTEMPTS, baseDelayMs: 1000, factor: 2 },
          });
          let call = 0;
          const core = new ScriptedCore(clock, () => {
            const next = answers[call++ % answers.length]!;
            return next === 'throw' ? new Error('core threw') : next;
          });
          const dead = new Map<string, readonly string[]>();
          const processor = new MessageQueueProcessor({
            queue,
            messagingCore: core,
            clock,
            agents: AGENTS,
            deliveryTimeoutMs: 500,
            events: { retried: () => undefined, deadLettered: (m, missed) => dead.set(m.id, missed) },
          });
          const accepted = new Map<string, string>();
          for (const [i, recipient] of recipients.entries()) {
            const submitted = await processor.submit(makeMessage(i, { recipient })).then(
              () => true,
              () => false,
            );
            if (submitted) accepted.set(`m-${i}`, recipient);
          }
          let drained = false;
          const drain = processor.drain().then(() => {
            drained = true;
          });
          for (let step = 0; step < 300 && !drained; step++) await clock.advance(1000);
          await drain;

          expect(queue.stats()).toMatchObject({ pending: 0, processing: 0 });
          for (const [id, recipient] of accepted) {
            const intended = recipient === 'ALL' ? AGENTS : [recipient];
            const reached = new Set(
              core.calls
                .filter((c, index) => c.messageId === id && answerOf(answers, index) === true)
                .map((c) => c.recipient),
            );
            const missed = dead.get(id) ?? [];
            for (const agent of intended) expect(reached.has(agent) || missed.includes(agent)).toBe(true);
          }
        },
      ),
      { numRuns: 40 },
    );
  });
});

function answerOf(answers: readonly (CoreAnswer | 'throw')[], index: number): CoreAnswer | 'throw' {
  return answers[index % answers.length]!;
}
