import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import * as breaksFifo from '../../../fixtures/queue-bugs/breaks-fifo.ts';
import * as doubleDispatch from '../../../fixtures/queue-bugs/double-dispatch.ts';
import * as dropsAtCapacity from '../../../fixtures/queue-bugs/drops-at-capacity.ts';
import * as ignoresPriority from '../../../fixtures/queue-bugs/ignores-priority.ts';
import * as leaksMemory from '../../../fixtures/queue-bugs/leaks-memory.ts';
import * as losesConcurrentAppends from '../../../fixtures/queue-bugs/loses-concurrent-appends.ts';
import * as slowDequeue from '../../../fixtures/queue-bugs/slow-dequeue.ts';
import { StressError } from '../../../src/protocol/index.ts';
import {
  type QueueCheckName,
  queueSubjectFromModule,
  REFERENCE_QUEUE_SUBJECT,
  validateQueueBehavior,
} from '../../../src/validate/queue/index.ts';

const tempRoot = mkdtempSync(join(tmpdir(), 'validate-queue-test-'));
afterAll(() => rmSync(tempRoot, { recursive: true, force: true }));

const SMALL = { messages: 200, memoryMessages: 20_000, tempRoot } as const;

describe('validateQueueBehavior', { timeout: 60_000 }, () => {
  it('passes every check on the reference queue and removes its temporary stores', async () => {
    const seen: string[] = [];
    const report = await validateQueueBehavior(SMALL, (result) => seen.push(result.name));
    expect(report.checks.filter((check) => !check.ok)).toEqual([]);
    expect(report).toMatchObject({
      ok: true,
      subject: REFERENCE_QUEUE_SUBJECT.name,
      summary: { total: 6, passed: 6 },
    });
    expect(seen).toEqual([
      'capacity',
      'ordering',
      'priority',
      'concurrent_access',
      'memory_bounds',
      'throughput',
    ]);
    expect(report.checks.find((check) => check.name === 'concurrent_access')?.measured).toMatchObject({
      acknowledged: 200,
      lost: 0,
      unexplained_duplicates: 0,
      live_after_reopen: 0,
    });
    // Legitimate at-least-once duplicates happened (deliveries answered false) and were not held against it.
    expect(
      Number(report.checks.find((check) => check.name === 'concurrent_access')?.measured.retried_duplicates),
    ).toBeGreaterThan(0);
    expect(readdirSync(tempRoot)).toEqual([]);
  });

  const planted: readonly (readonly [string, Record<string, unknown>, QueueCheckName, RegExp])[] = [
    [
      'drops-at-capacity',
      dropsAtCapacity,
      'capacity',
      /Refused 0 message\(s\) with ERR_QUEUE_FULL, expected 150/,
    ],
    ['breaks-fifo', breaksFifo, 'ordering', /delivered out of FIFO order/],
    ['ignores-priority', ignoresPriority, 'priority', /started while an older urgent one waited/],
    ['loses-concurrent-appends', losesConcurrentAppends, 'concurrent_access', /never delivered \(lost\)/],
    ['double-dispatch', doubleDispatch, 'concurrent_access', /beyond at-least-once/],
    ['leaks-memory', leaksMemory, 'memory_bounds', /delivered messages are retained/],
    ['slow-dequeue', slowDequeue, 'throughput', /Processed \d+ msg\/s .* below the floor/],
  ];
  for (const [name, module, check, failure] of planted) {
    it(`fails the ${check} check for the planted bug ${name}`, async () => {
      const subject = queueSubjectFromModule(module, name);
      const report = await validateQueueBehavior({ ...SMALL, capacity: 300, subject, checks: [check] });
      expect(report.ok).toBe(false);
      expect(report.checks[0]?.failures.join('\n')).toMatch(failure);
    });
  }

  it('counts a check that throws as failed, and keeps going', async () => {
    const subject = {
      ...REFERENCE_QUEUE_SUBJECT,
      name: 'broken',
      openQueue: async () => {
        throw new Error('cannot open');
      },
    };
    const report = await validateQueueBehavior({ ...SMALL, subject, checks: ['capacity', 'ordering'] });
    expect(report.checks.map((check) => [check.name, check.ok])).toEqual([
      ['capacity', false],
      ['ordering', false],
    ]);
    expect(report.checks[0]?.failures[0]).toMatch(/cannot open/);
  });

  it('property: the capacity check accepts the reference and catches a silent drop at any capacity', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 60 }), async (capacity) => {
        const good = await validateQueueBehavior({ ...SMALL, capacity, checks: ['capacity'] });
        const bad = await validateQueueBehavior({
          ...SMALL,
          capacity,
          checks: ['capacity'],
          subject: queueSubjectFromModule(dropsAtCapacity, 'drops'),
        });
        return good.ok && !bad.ok;
      }),
      { numRuns: 15 },
    );
  });

  it('rejects bad options with a coded error', async () => {
    await expect(validateQueueBehavior({ checks: ['speed' as QueueCheckName] })).rejects.toSatisfy((error) =>
      StressError.is(error, 'ERR_INVALID_OPTION'),
    );
    await expect(validateQueueBehavior({ capacity: 0 })).rejects.toThrow(
      /`capacity` to be an integer from 1/,
    );
    expect(existsSync(tempRoot)).toBe(true);
  });
});
