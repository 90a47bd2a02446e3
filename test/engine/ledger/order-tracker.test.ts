import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DeliveryLedger } from '../../../src/engine/ledger/delivery-ledger.ts';
import type { Message } from '../../../src/protocol/index.ts';
import { AGENTS, message, RUN_ID } from './delivery-history.ts';

// The ledger judges order and priority as the run goes, and forgets each unit's times once it is settled. The
// oracle is the plain definition, applied at the end to every unit of a recorded history: the two must count the
// same violations on any history whose starts are reported in clock order.

interface Unit {
  readonly message: number;
  readonly recipient: string;
  start: number;
}

interface History {
  readonly messages: Message[];
  readonly recipients: string[][];
  readonly units: Unit[];
  /** Message indexes in accept order. */
  readonly accepted: number[];
  readonly report: ReturnType<DeliveryLedger['finish']>;
}

/** The definition: stream order and priority over every started unit of accepted messages, in accept order. */
function oracle(h: History): { order: number; priority: number } {
  const sequence = h.accepted.flatMap((m) => h.units.filter((u) => u.message === m && u.start < Infinity));
  let order = 0;
  let priority = 0;
  sequence.forEach((u, i) => {
    const msg = h.messages[u.message]!;
    const earlier = sequence.slice(0, i);
    const later = sequence.slice(i + 1);
    const sameStream = (v: Unit) =>
      v.recipient === u.recipient &&
      h.messages[v.message]!.sender === msg.sender &&
      h.messages[v.message]!.priority === msg.priority;
    if (earlier.some((v) => sameStream(v) && v.start > u.start)) order++;
    const overtaken = (r: Unit) =>
      r.recipient === u.recipient && h.messages[r.message]!.priority === 'regular' && r.start < u.start;
    if (msg.priority === 'urgent' && later.some(overtaken)) priority++;
  });
  return { order, priority };
}

/**
 * Plays a random history against a ledger, driven by `choices`: messages are sent in index order (direct or to
 * every agent), settled (accepted or refused) in any order, their units start in any order (some never), before
 * or after acceptance, with retries and deliveries and dead letters in between, on a clock that sometimes stands
 * still (ties).
 */
function play(size: number, choices: readonly number[]): History {
  const ledger = new DeliveryLedger({ runId: RUN_ID, agents: AGENTS });
  const messages: Message[] = [];
  const recipients: string[][] = [];
  const units: Unit[] = [];
  const accepted: number[] = [];
  const unsettled: number[] = [];
  const started: Unit[] = [];
  let unstarted: Unit[] = [];
  let clock = 0;
  let next = 0;
  for (const choice of choices) {
    const pick = <T>(list: T[]): T => list[Math.floor(choice / 8) % list.length]!;
    switch (choice % 8) {
      case 0:
      case 1: {
        if (next >= size) break;
        const to = choice % 5 === 0 ? [...AGENTS] : [AGENTS[(choice >> 4) % AGENTS.length]!];
        const msg = message(next, {
          sender: (choice >> 6) % 2 === 0 ? 'SYSTEM' : 'Captain',
          priority: (choice >> 7) % 3 === 0 ? 'urgent' : 'regular',
          recipient: to.length > 1 ? 'ALL' : to[0]!,
          createdAt: clock,
        });
        ledger.recordSent(msg, to);
        messages.push(msg);
        recipients.push(to);
        for (const recipient of to) {
          const unit = { message: next, recipient, start: Number.POSITIVE_INFINITY };
          units.push(unit);
          // About one unit in ten never starts.
          if ((choice >> 9) % 10 !== 0 || to.length > 1) unstarted.push(unit);
        }
        unsettled.push(next++);
        break;
      }
      case 2: {
        if (unsettled.length === 0) break;
        const m = pick(unsettled);
        unsettled.splice(unsettled.indexOf(m), 1);
        if ((choice >> 5) % 5 === 0) ledger.recordRejected(messages[m]!.id);
        else {
          ledger.recordAccepted(messages[m]!.id);
          accepted.push(m);
        }
        break;
      }
      case 3:
      case 4: {
        if (unstarted.length === 0) break;
        const unit = pick(unstarted);
        unstarted = unstarted.filter((u) => u !== unit);
        unit.start = clock;
        started.push(unit);
        ledger.recordAttemptStart(messages[unit.message]!.id, unit.recipient, clock);
        break;
      }
      case 5: {
        if (started.length === 0) break;
        // A call ends: delivered, failed (then maybe dead-lettered), or a retry that starts now.
        const unit = pick(started);
        const msg = messages[unit.message]!;
        const outcome = (choice >> 5) % 3 === 0 ? 'failed' : 'delivered';
        ledger.recordDelivery({
          message: msg,
          recipient: unit.recipient,
          attempt: 1,
          outcome,
          startedAt: (choice >> 7) % 2 === 0 ? unit.start : clock,
          finishedAt: clock,
        });
        if (outcome === 'failed' && (choice >> 8) % 2 === 0)
          ledger.recordDeadLettered(msg.id, [unit.recipient]);
        break;
      }
      default:
        if ((choice >> 3) % 3 !== 0) clock++;
    }
  }
  const report = ledger.finish({ pending: 0, processing: 0, interrupted: true });
  return { messages, recipients, units, accepted, report };
}

const histories = (size: number, length: number) =>
  fc.tuple(fc.constant(size), fc.array(fc.nat(), { minLength: length, maxLength: length }));

describe('order checks as the run goes', () => {
  it('count exactly what the definition counts over every unit at the end', () => {
    let violating = 0;
    fc.assert(
      fc.property(histories(30, 200), ([size, choices]) => {
        const h = play(size, choices);
        const expected = oracle(h);
        if (expected.order + expected.priority > 0) violating++;
        expect({ order: h.report.order_violations, priority: h.report.priority_inversions }).toEqual(
          expected,
        );
        expect(h.report.examples.order_violations.length).toBe(Math.min(10, expected.order));
        expect(h.report.examples.priority_inversions.length).toBe(Math.min(10, expected.priority));
      }),
      { numRuns: 1000 },
    );
    // The histories break the rules often enough for the comparison to mean something.
    expect(violating).toBeGreaterThan(300);
  });

  it('stay exact across many window chunks and long waits at a line head', () => {
    fc.assert(
      fc.property(histories(3000, 20_000), ([size, choices]) => {
        const h = play(size, choices);
        expect(h.units.length).toBeGreaterThan(2048);
        const expected = oracle(h);
        expect({ order: h.report.order_violations, priority: h.report.priority_inversions }).toEqual(
          expected,
        );
      }),
      // Shrinking 20,000 choices takes minutes: the small property above shrinks what this one finds.
      { numRuns: 5, endOnFailure: true },
    );
  });
});

describe('the times of settled units', () => {
  /** Sends `count` direct messages round the agents; each starts (before or after it is accepted) and is delivered. */
  function settleInOrder(ledger: DeliveryLedger, count: number, skip = -1): void {
    for (let i = 0; i < count; i++) {
      const msg = message(i, { recipient: AGENTS[i % AGENTS.length]!, createdAt: i });
      ledger.recordSent(msg, [msg.recipient]);
      const early = i % 2 === 0;
      if (early && i !== skip) ledger.recordAttemptStart(msg.id, msg.recipient, i);
      ledger.recordAccepted(msg.id);
      if (i === skip) continue;
      if (!early) ledger.recordAttemptStart(msg.id, msg.recipient, i);
      ledger.recordDelivery({ ...attemptOf(msg), startedAt: i, finishedAt: i + 1 });
    }
  }
  const attemptOf = (msg: Message) =>
    ({ message: msg, recipient: msg.recipient, attempt: 1, outcome: 'delivered' }) as const;

  it('are released as units settle, so the memory follows the units in flight', () => {
    const ledger = new DeliveryLedger({ runId: RUN_ID, agents: AGENTS });
    settleInOrder(ledger, 50_000);
    expect(ledger.unitsHeld).toBeLessThanOrEqual(1024);
    expect(ledger.finish({ pending: 0, processing: 0 })).toMatchObject({ valid: true, delivered: 50_000 });
  });

  it('are kept for a unit never started, and for the units of its recipient behind it', () => {
    const ledger = new DeliveryLedger({ runId: RUN_ID, agents: AGENTS });
    settleInOrder(ledger, 50_000, 3);
    // Unit 3 (to Agent-1) never started: every later unit to Agent-1 waits behind it to be judged.
    expect(ledger.unitsHeld).toBeGreaterThan(40_000);
    const report = ledger.finish({ pending: 0, processing: 0 });
    expect(report).toMatchObject({ lost: 1, order_violations: 0, examples: { lost: ['run-3 -> Agent-1'] } });
    expect(ledger.findingsInTime(report)).toEqual([{ kind: 'lost', unit: 'run-3 -> Agent-1', at_ms: 3 }]);
    // Judged at the end, the units behind it are released; the lost one keeps its chunk.
    expect(ledger.unitsHeld).toBeLessThanOrEqual(2048);
  });
});
