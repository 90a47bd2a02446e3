import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { StressError } from '../../src/protocol/index.ts';
import { MemoryQueueStore, MessageQueue, retryDelayMs } from '../../src/queue/index.ts';
import { makeMessage } from './fixtures.ts';
import { ManualClock } from './manual-clock.ts';

const CAPACITY = 4;
const LEASE_MS = 1000;
const RETRY = { maxAttempts: 3, baseDelayMs: 100, factor: 2, maxDelayMs: 1000 };

/** The whole queue as a list: every operation is a scan, simple enough to trust. */
interface ModelEntry {
  readonly sequence: number;
  readonly urgent: boolean;
  status: 'pending' | 'processing';
  attempts: number;
  availableAt: number;
  leaseUntil: number;
}

interface Model {
  now: number;
  sequence: number;
  /** The highest sequence the store holds: a queue reopened on it continues from there. */
  durableSequence: number;
  deadLettered: number;
  readonly entries: Map<string, ModelEntry>;
}

interface Real {
  readonly clock: ManualClock;
  readonly store: MemoryQueueStore;
  queue: MessageQueue;
  /** While true, every store append fails. */
  failWrites: boolean;
}

/** Returns expired leases to pending, as the real queue does whenever it looks. */
function expireLeases(model: Model): void {
  for (const entry of model.entries.values()) {
    if (entry.status === 'processing' && entry.leaseUntil <= model.now) entry.status = 'pending';
  }
}

function processingIds(model: Model): string[] {
  expireLeases(model);
  return [...model.entries].filter(([, entry]) => entry.status === 'processing').map(([id]) => id);
}

function expectSameStats(model: Model, real: Real): void {
  expireLeases(model);
  const entries = [...model.entries.values()];
  const processing = entries.filter((entry) => entry.status === 'processing').length;
  const delayed = entries.filter(
    (entry) => entry.status === 'pending' && entry.availableAt > model.now,
  ).length;
  expect(real.queue.stats()).toEqual({
    pending: entries.length - processing,
    processing,
    delayed,
    deadLettered: model.deadLettered,
    capacity: CAPACITY,
  });
}

class Enqueue implements fc.AsyncCommand<Model, Real> {
  constructor(readonly urgent: boolean) {}
  check = (): boolean => true;
  async run(model: Model, real: Real): Promise<void> {
    const message = makeMessage(model.sequence + 1, { priority: this.urgent ? 'urgent' : 'regular' });
    if (model.entries.size >= CAPACITY) {
      const error = await real.queue.enqueue(message).catch((caught: unknown) => caught);
      expect(StressError.is(error, 'ERR_QUEUE_FULL')).toBe(true);
      return;
    }
    const entry = await real.queue.enqueue(message);
    model.sequence++;
    model.durableSequence = model.sequence;
    expect(entry.sequence).toBe(model.sequence);
    model.entries.set(entry.entryId, {
      sequence: model.sequence,
      urgent: this.urgent,
      status: 'pending',
      attempts: 0,
      availableAt: model.now,
      leaseUntil: 0,
    });
    expectSameStats(model, real);
  }
  toString = (): string => `enqueue(${this.urgent ? 'urgent' : 'regular'})`;
}

class Dequeue implements fc.AsyncCommand<Model, Real> {
  constructor(readonly max: number) {}
  check = (): boolean => true;
  async run(model: Model, real: Real): Promise<void> {
    expireLeases(model);
    const expected = [...model.entries]
      .filter(([, entry]) => entry.status === 'pending' && entry.availableAt <= model.now)
      .sort(([, a], [, b]) => Number(b.urgent) - Number(a.urgent) || a.sequence - b.sequence)
      .slice(0, this.max);
    for (const [, entry] of expected) {
      entry.status = 'processing';
      entry.leaseUntil = model.now + LEASE_MS;
    }
    const taken = real.queue.dequeue(this.max);
    expect(taken.map((entry) => entry.entryId)).toEqual(expected.map(([id]) => id));
    expect(taken.map((entry) => entry.attempts)).toEqual(expected.map(([, entry]) => entry.attempts));
    expectSameStats(model, real);
  }
  toString = (): string => `dequeue(${this.max})`;
}

class Ack implements fc.AsyncCommand<Model, Real> {
  constructor(readonly pick: number) {}
  check = (): boolean => true;
  async run(model: Model, real: Real): Promise<void> {
    const ids = processingIds(model);
    const id = ids[this.pick % Math.max(1, ids.length)];
    if (id === undefined) {
      const any = [...model.entries.keys()][this.pick % Math.max(1, model.entries.size)] ?? 'e-unknown';
      expect(await real.queue.ack(any)).toBe(false);
    } else {
      expect(await real.queue.ack(id)).toBe(true);
      model.entries.delete(id);
      expect(await real.queue.ack(id)).toBe(false);
    }
    expectSameStats(model, real);
  }
  toString = (): string => `ack(#${this.pick})`;
}

class Fail implements fc.AsyncCommand<Model, Real> {
  constructor(readonly pick: number) {}
  check = (): boolean => true;
  async run(model: Model, real: Real): Promise<void> {
    const id = processingIds(model)[this.pick % Math.max(1, model.entries.size)];
    if (id === undefined) {
      expect(await real.queue.fail('e-unknown', 'boom')).toBeUndefined();
      return;
    }
    const entry = model.entries.get(id)!;
    entry.attempts++;
    const after = await real.queue.fail(id, `boom ${entry.attempts}`);
    if (entry.attempts >= RETRY.maxAttempts) {
      model.entries.delete(id);
      model.deadLettered++;
      expect(after).toMatchObject({ status: 'dead_lettered', attempts: entry.attempts });
    } else {
      entry.status = 'pending';
      entry.availableAt = model.now + retryDelayMs(real.queue.options.retry, entry.attempts);
      expect(after).toMatchObject({
        status: 'pending',
        attempts: entry.attempts,
        availableAt: entry.availableAt,
      });
    }
    expectSameStats(model, real);
  }
  toString = (): string => `fail(#${this.pick})`;
}

class RenewLease implements fc.AsyncCommand<Model, Real> {
  constructor(readonly pick: number) {}
  check = (): boolean => true;
  async run(model: Model, real: Real): Promise<void> {
    const id = processingIds(model)[this.pick % Math.max(1, model.entries.size)];
    if (id === undefined) return;
    expect(real.queue.renewLease(id)).toBe(true);
    model.entries.get(id)!.leaseUntil = model.now + LEASE_MS;
    expectSameStats(model, real);
  }
  toString = (): string => `renewLease(#${this.pick})`;
}

class Advance implements fc.AsyncCommand<Model, Real> {
  constructor(readonly ms: number) {}
  check = (): boolean => true;
  async run(model: Model, real: Real): Promise<void> {
    await real.clock.advance(this.ms);
    model.now += this.ms;
    expectSameStats(model, real);
  }
  toString = (): string => `advance(${this.ms})`;
}

/** An operation whose journal write fails: it rejects and changes nothing (the model stays as it is). */
class FailedWrite implements fc.AsyncCommand<Model, Real> {
  constructor(readonly op: 'enqueue' | 'ack' | 'fail') {}
  check = (): boolean => true;
  async run(model: Model, real: Real): Promise<void> {
    const id = processingIds(model)[0];
    if (this.op !== 'enqueue' && id === undefined) return;
    if (this.op === 'enqueue' && model.entries.size >= CAPACITY) return;
    real.failWrites = true;
    const attempt =
      this.op === 'enqueue'
        ? real.queue.enqueue(makeMessage(`lost-${model.sequence}`))
        : this.op === 'ack'
          ? real.queue.ack(id!)
          : real.queue.fail(id!, 'boom');
    const error = await attempt.catch((caught: unknown) => caught);
    real.failWrites = false;
    expect(StressError.is(error, 'ERR_STORE_WRITE')).toBe(true);
    // A failed enqueue spends its sequence number in memory (never in the store).
    if (this.op === 'enqueue') model.sequence++;
    expectSameStats(model, real);
  }
  toString = (): string => `failedWrite(${this.op})`;
}

class CrashAndRecover implements fc.AsyncCommand<Model, Real> {
  check = (): boolean => true;
  async run(model: Model, real: Real): Promise<void> {
    real.queue.abandon();
    real.queue = await MessageQueue.open({
      store: real.store,
      clock: real.clock,
      capacity: CAPACITY,
      leaseMs: LEASE_MS,
      retry: RETRY,
    });
    for (const entry of model.entries.values()) entry.status = 'pending';
    // Sequences spent by enqueues that never became durable are handed out again.
    model.sequence = model.durableSequence;
    expectSameStats(model, real);
  }
  toString = (): string => 'crashAndRecover';
}

const commands = fc.commands(
  [
    fc.boolean().map((urgent) => new Enqueue(urgent)),
    fc.integer({ min: 1, max: 3 }).map((max) => new Dequeue(max)),
    fc.nat(7).map((pick) => new Ack(pick)),
    fc.nat(7).map((pick) => new Fail(pick)),
    fc.nat(7).map((pick) => new RenewLease(pick)),
    fc.constantFrom(0, 1, 99, 100, 400, 999, 1000, 1500).map((ms) => new Advance(ms)),
    fc.constant(new CrashAndRecover()),
    fc.constantFrom('enqueue' as const, 'ack' as const, 'fail' as const).map((op) => new FailedWrite(op)),
  ],
  // `large` so that runs reach capacity, several retries and dead letters, not just a handful of commands.
  { maxCommands: 80, size: 'large' },
);

describe('MessageQueue against a model', () => {
  it('agrees on ordering, leases, retries, capacity and recovery for any sequence of operations', async () => {
    await fc.assert(
      fc.asyncProperty(commands, async (cmds) => {
        const clock = new ManualClock();
        const real = { failWrites: false };
        const store = new MemoryQueueStore({
          faults: { beforeAppend: () => (real.failWrites ? new Error('injected') : undefined) },
        });
        const setup = async () => {
          const queue = await MessageQueue.open({
            store,
            clock,
            capacity: CAPACITY,
            leaseMs: LEASE_MS,
            retry: RETRY,
          });
          const model: Model = {
            now: 0,
            sequence: 0,
            durableSequence: 0,
            deadLettered: 0,
            entries: new Map(),
          };
          return { model, real: Object.assign(real, { clock, store, queue }) };
        };
        await fc.asyncModelRun(setup, cmds);
      }),
      { numRuns: 150 },
    );
  });
});
