import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DeliveryLedger } from '../../../src/engine/ledger/delivery-ledger.ts';
import type { DeliveryLedgerOptions } from '../../../src/engine/ledger/delivery-ledger-options.ts';
import type { InvariantReport } from '../../../src/engine/ledger/invariant-report.ts';
import type { DeliveryEvent } from '../../../src/engine/mock-core/delivery-sink.ts';
import { findNonJsonValue, type Message, StressError } from '../../../src/protocol/index.ts';
import { AGENTS, attempt, message, RUN_ID } from './delivery-history.ts';

const ledgerOf = (options: Partial<DeliveryLedgerOptions> = {}) =>
  new DeliveryLedger({ runId: RUN_ID, agents: AGENTS, ...options });

/** Sends and accepts each message to its own recipient (or every agent for ALL). */
function sendAll(ledger: DeliveryLedger, messages: readonly Message[]): void {
  for (const msg of messages) {
    ledger.recordSent(msg, msg.recipient === 'ALL' ? AGENTS : [msg.recipient]);
    ledger.recordAccepted(msg.id);
  }
}

const done = { pending: 0, processing: 0 };

function conservationSum(report: InvariantReport): number {
  const c = report.conservation;
  return c.delivered + c.dead_lettered + c.rejected + c.pending + c.in_flight + c.indeterminate + c.lost;
}

describe('DeliveryLedger', () => {
  it('accepts a clean history and reports it JSON-plain', () => {
    const ledger = ledgerOf();
    const messages = [message(0), message(1, { recipient: 'Agent-2' }), message(2, { recipient: 'ALL' })];
    sendAll(ledger, messages);
    for (const msg of messages.slice(0, 2)) expect(ledger.recordDelivery(attempt(msg))).toBe('first');
    for (const agent of AGENTS)
      ledger.recordDelivery(attempt(messages[2]!, { recipient: agent, startedAt: 5 }));
    const report = ledger.finish(done);
    expect(report).toMatchObject({
      valid: true,
      violations: [],
      sent: 5,
      accepted: 5,
      delivered: 5,
      lost: 0,
    });
    expect(report.conservation).toMatchObject({ sent: 5, delivered: 5, holds: true });
    expect(findNonJsonValue(report)).toBeUndefined();
    expect(JSON.parse(JSON.stringify(report))).toEqual(report);
  });

  it('finds a lost broadcast unit and names it', () => {
    const ledger = ledgerOf();
    const broadcast = message(0, { recipient: 'ALL' });
    sendAll(ledger, [broadcast]);
    ledger.recordDelivery(attempt(broadcast, { recipient: 'Agent-1' }));
    ledger.recordDelivery(attempt(broadcast, { recipient: 'Agent-2' }));
    ledger.recordDelivery(attempt(broadcast, { recipient: 'Agent-3', outcome: 'failed' }));
    const report = ledger.finish(done);
    expect(report).toMatchObject({ valid: false, sent: 3, delivered: 2, lost: 1, attempts: 3 });
    expect(report.conservation).toMatchObject({ lost: 1, holds: false });
    expect(report.examples.lost).toEqual(['run-0 -> Agent-3']);
    expect(report.violations.join('\n')).toMatch(/1 delivery unit was lost.*run-0 -> Agent-3/);
    expect(report.violations.join('\n')).toMatch(/Conservation broken: sent 3 != delivered 2/);
  });

  it('counts units the target still holds as pending, not lost', () => {
    const ledger = ledgerOf();
    sendAll(ledger, [message(0), message(1)]);
    const report = ledger.finish({ pending: 2, processing: 0 });
    expect(report).toMatchObject({ valid: true, lost: 0, pending: 2 });
    expect(report.conservation.holds).toBe(true);
  });

  it('reports duplicates, allowed at-least-once and a violation exactly-once', () => {
    for (const profile of ['at-least-once', 'exactly-once'] as const) {
      const ledger = ledgerOf({ profile });
      const msg = message(0);
      sendAll(ledger, [msg]);
      expect(ledger.recordDelivery(attempt(msg, { outcome: 'delivered_reported_failed' }))).toBe('first');
      expect(ledger.recordDelivery(attempt(msg, { n: 2, startedAt: 3 }))).toBe('duplicate');
      expect(ledger.recordDelivery(attempt(msg, { n: 3, startedAt: 4 }))).toBe('duplicate');
      const report = ledger.finish(done);
      expect(report).toMatchObject({ duplicated: 1, duplicate_deliveries: 2, deliveries: 3, delivered: 1 });
      // The redelivery after the core's false failure report is the core's; the third delivery is not.
      expect(report.examples.duplicated).toEqual(['run-0 -> Agent-1 x3, 1 by the core']);
      expect(report.valid).toBe(profile === 'at-least-once');
    }
  });

  it("does not count the core's own duplicates against exactly-once", () => {
    const ledger = ledgerOf({ profile: 'exactly-once' });
    const [a, b] = [message(0), message(1)];
    sendAll(ledger, [a, b]);
    // a: the core's duplicate_delivery copy (flagged injected); b: a false failure report, then the retry.
    ledger.recordDelivery(attempt(a));
    expect(ledger.recordDelivery({ ...attempt(a), injected: true })).toBe('duplicate');
    ledger.recordDelivery(attempt(b, { outcome: 'delivered_reported_failed' }));
    ledger.recordDelivery(attempt(b, { n: 2, startedAt: 3 }));
    const report = ledger.finish(done);
    expect(report).toMatchObject({ duplicated: 0, duplicate_deliveries: 2, deliveries: 4, valid: true });
  });

  it('flags deliveries of units that were never sent as unexpected', () => {
    const ledger = ledgerOf();
    const msg = message(1);
    sendAll(ledger, [msg]);
    const foreign = [
      { ...msg, id: 'other-1' },
      { ...msg, id: 'run-99' },
      { ...msg, id: 'run-01' },
      { ...msg, id: 'run-0' },
      { ...msg, id: 'run-1x' },
    ];
    for (const m of foreign) expect(ledger.recordDelivery(attempt(m))).toBe('unexpected');
    expect(ledger.recordDelivery(attempt(msg, { recipient: 'Agent-9' }))).toBe('unexpected');
    expect(ledger.recordDelivery(attempt(msg, { recipient: 'Agent-2' }))).toBe('unexpected');
    ledger.recordDelivery(attempt(msg));
    const report = ledger.finish(done);
    expect(report).toMatchObject({ valid: false, unexpected: 7, delivered: 1, attempts: 1 });
    expect(report.examples.unexpected[0]).toBe('other-1 -> Agent-1');
    expect(report.violations[0]).toMatch(/7 delivery events were unexpected/);
  });

  it('keeps at most maxExamples examples per anomaly', () => {
    const ledger = ledgerOf({ maxExamples: 2 });
    for (let i = 0; i < 5; i++) ledger.recordDelivery(attempt(message(i)));
    const report = ledger.finish(done);
    expect(report.unexpected).toBe(5);
    expect(report.examples.unexpected).toHaveLength(2);
  });

  it('counts a delivered unit whose enqueue was rejected or never settled as recovered', () => {
    const ledger = ledgerOf();
    const [rejected, unsettled, refused] = [message(0), message(1), message(2)];
    for (const msg of [rejected, unsettled, refused]) ledger.recordSent(msg, [msg.recipient]);
    ledger.recordRejected(rejected.id);
    ledger.recordRejected(refused.id);
    ledger.recordDelivery(attempt(rejected));
    ledger.recordDelivery(attempt(unsettled));
    const report = ledger.finish(done);
    expect(report).toMatchObject({ valid: true, recovered: 2, rejected: 2, indeterminate: 1, delivered: 2 });
    expect(report.conservation).toMatchObject({ delivered: 2, rejected: 1, holds: true });
    expect(report.examples.recovered).toEqual(['run-0 -> Agent-1', 'run-1 -> Agent-1']);
  });

  it('breaks conservation for an enqueue that never settled and never came out', () => {
    const ledger = ledgerOf();
    const msg = message(0);
    ledger.recordSent(msg, [msg.recipient]);
    const report = ledger.finish(done);
    expect(report).toMatchObject({ valid: false, lost: 0, indeterminate: 1 });
    expect(report.conservation).toMatchObject({ indeterminate: 1, holds: false });
  });

  it('reports units still processing after the drain as stuck', () => {
    const ledger = ledgerOf();
    sendAll(ledger, [message(0), message(1)]);
    ledger.recordDelivery(attempt(message(0)));
    const report = ledger.finish({ pending: 0, processing: 1 });
    expect(report).toMatchObject({ valid: false, stuck: 1, lost: 0 });
    expect(report.conservation).toMatchObject({ in_flight: 1, holds: false });
    expect(report.violations[0]).toBe(
      '1 delivery unit was still processing after the final drain (e.g. run-1 -> Agent-1).',
    );
  });

  it('reads inspect() counts of entries as whole messages, and of units as units, capped by what was sent', () => {
    const broadcast = { ...message(0), recipient: 'ALL' };
    for (const held of [
      { pending: 1, processing: 0 },
      { pending: 1, processing: 0, unit: 'entry' as const },
      { pending: AGENTS.length, processing: 0, unit: 'unit' as const },
      { pending: 50, processing: 0, unit: 'unit' as const },
    ]) {
      const ledger = ledgerOf();
      sendAll(ledger, [broadcast]);
      const report = ledger.finish(held);
      // One pending broadcast is every one of its units pending, not units lost.
      expect(report).toMatchObject({ lost: 0, pending: AGENTS.length, stuck: 0 });
      expect(report.conservation.holds).toBe(true);
    }
    const ledger = ledgerOf();
    sendAll(ledger, [broadcast]);
    // Counted as units, one pending unit of a 2-unit broadcast leaves the other lost.
    expect(ledger.finish({ pending: 1, processing: 0, unit: 'unit' })).toMatchObject({
      lost: AGENTS.length - 1,
    });
    const stuck = ledgerOf();
    sendAll(stuck, [message(0)]);
    // A target claiming more in flight than was sent: stuck is capped by what is unresolved.
    expect(stuck.finish({ pending: 0, processing: 7, unit: 'unit' })).toMatchObject({ stuck: 1 });
  });

  it('counts a dead-lettered unit once: as delivered when it was also delivered', () => {
    const ledger = ledgerOf();
    const [given, both] = [message(0), message(1)];
    sendAll(ledger, [given, both]);
    ledger.recordDelivery(attempt(given, { outcome: 'failed' }));
    ledger.recordDeadLettered(given.id, [given.recipient]);
    ledger.recordDelivery(attempt(both, { outcome: 'delivered_reported_failed' }));
    ledger.recordDeadLettered(both.id, [both.recipient]);
    ledger.recordDeadLettered('run-7', ['Agent-1']);
    const report = ledger.finish(done);
    expect(report).toMatchObject({ dead_lettered: 1, delivered: 1, lost: 0, unexpected: 1 });
    expect(report.conservation).toMatchObject({ sent: 2, delivered: 1, dead_lettered: 1, holds: true });
  });

  describe('order', () => {
    const stream = () => {
      const ledger = ledgerOf();
      const messages = [message(0), message(1), message(2)];
      sendAll(ledger, messages);
      return { ledger, messages };
    };

    it('flags a first attempt that starts before an earlier-accepted unit of the same stream', () => {
      const { ledger, messages } = stream();
      ledger.recordDelivery(attempt(messages[1]!, { startedAt: 0 }));
      ledger.recordDelivery(attempt(messages[0]!, { startedAt: 5 }));
      ledger.recordDelivery(attempt(messages[2]!, { startedAt: 6 }));
      const report = ledger.finish(done);
      expect(report).toMatchObject({ valid: false, order_violations: 1 });
      expect(report.examples.order_violations).toEqual([
        'run-1 -> Agent-1 (started before earlier-accepted run-0)',
      ]);
    });

    it('keeps streams in a map when there are too many participants for a dense table', () => {
      // 1,500 agents make 1,500^2 x 2 stream keys, past the dense table's limit.
      const agents = Array.from({ length: 1500 }, (_, i) => `Agent-${i + 1}`);
      const ledger = ledgerOf({ agents });
      const messages = [message(0, { recipient: 'Agent-1500' }), message(1, { recipient: 'Agent-1500' })];
      sendAll(ledger, messages);
      ledger.recordDelivery(attempt(messages[1]!, { recipient: 'Agent-1500', startedAt: 0 }));
      ledger.recordDelivery(attempt(messages[0]!, { recipient: 'Agent-1500', startedAt: 5 }));
      expect(ledger.finish(done)).toMatchObject({ order_violations: 1, delivered: 2 });
    });

    it('judges start order, not completion order, and ignores retries and ties', () => {
      const { ledger, messages } = stream();
      const [m0, m1, m2] = messages as [Message, Message, Message];
      // m0's first call starts first and hangs: its start is reported when it happens, its end much later.
      ledger.recordAttemptStart(m0.id, m0.recipient, 0);
      ledger.recordDelivery(attempt(m1, { startedAt: 1, serviceMs: 1 }));
      ledger.recordDelivery(attempt(m0, { startedAt: 0, serviceMs: 9, outcome: 'hung' }));
      ledger.recordDelivery(attempt(m2, { startedAt: 1, serviceMs: 1 }));
      ledger.recordDelivery(attempt(m0, { startedAt: 20, n: 2 }));
      const report = ledger.finish(done);
      expect(report).toMatchObject({ valid: true, order_violations: 0, delivered: 3 });
    });

    it('keeps separate streams per sender, recipient and priority', () => {
      const ledger = ledgerOf();
      const messages = [
        message(0, { sender: 'Captain' }),
        message(1),
        message(2, { recipient: 'Agent-2' }),
        message(3, { priority: 'urgent' }),
      ];
      sendAll(ledger, messages);
      // Each message starts before every earlier one: fine, as they are all in different streams.
      [...messages].reverse().forEach((msg, i) => {
        ledger.recordDelivery(attempt(msg, { startedAt: i }));
      });
      const report = ledger.finish(done);
      expect(report.order_violations).toBe(0);
    });

    it('reports but does not fail on order when the check is off', () => {
      const ledger = ledgerOf({ checkOrder: false });
      sendAll(ledger, [message(0), message(1)]);
      ledger.recordDelivery(attempt(message(1), { startedAt: 0 }));
      ledger.recordDelivery(attempt(message(0), { startedAt: 1 }));
      expect(ledger.finish(done)).toMatchObject({
        valid: true,
        order_violations: 1,
        checks: { order: false },
      });
    });
  });

  describe('priority', () => {
    it('flags an urgent unit overtaken by a later-accepted regular unit to the same recipient', () => {
      const ledger = ledgerOf({ checkOrder: false });
      const urgent = message(0, { priority: 'urgent' });
      const regular = message(1, { sender: 'Captain' });
      sendAll(ledger, [urgent, regular]);
      ledger.recordDelivery(attempt(regular, { startedAt: 0 }));
      ledger.recordDelivery(attempt(urgent, { startedAt: 1 }));
      const report = ledger.finish(done);
      expect(report).toMatchObject({ valid: false, priority_inversions: 1 });
      expect(report.examples.priority_inversions).toEqual([
        'run-0 -> Agent-1 (overtaken by later regular run-1)',
      ]);
    });

    it('allows an urgent unit to overtake regular ones, and ignores other recipients', () => {
      const ledger = ledgerOf();
      const messages = [
        message(0),
        message(1, { priority: 'urgent' }),
        message(2, { priority: 'urgent', recipient: 'Agent-2' }),
        message(3),
      ];
      sendAll(ledger, messages);
      ledger.recordDelivery(attempt(messages[1]!, { startedAt: 0 }));
      ledger.recordDelivery(attempt(messages[0]!, { startedAt: 1 }));
      ledger.recordDelivery(attempt(messages[3]!, { startedAt: 2 }));
      ledger.recordDelivery(attempt(messages[2]!, { startedAt: 3 }));
      expect(ledger.finish(done)).toMatchObject({ valid: true, priority_inversions: 0 });
    });
  });

  it('finds the unit of a direct message only under its own recipient', () => {
    const ledger = ledgerOf();
    const msg = message(0, { recipient: 'Agent-2' });
    sendAll(ledger, [msg]);
    // Another agent's name, and an equal name built separately (not the same string object).
    expect(ledger.recordDelivery(attempt(msg, { recipient: 'Agent-3' }))).toBe('unexpected');
    expect(ledger.recordDelivery(attempt(msg, { recipient: ['Agent', '2'].join('-') }))).toBe('first');
    expect(ledger.recordDelivery(attempt(msg, { recipient: 'Agent-2' }))).toBe('duplicate');
    expect(ledger.finish(done)).toMatchObject({ delivered: 1, unexpected: 1, duplicated: 1 });
  });

  it('grows its tables past the expected size', () => {
    const ledger = ledgerOf({ expectedMessages: 1, expectedUnits: 1 });
    const messages = Array.from({ length: 3000 }, (_, i) =>
      message(i, { recipient: i % 7 === 0 ? 'ALL' : 'Agent-2' }),
    );
    sendAll(ledger, messages);
    for (const msg of messages) {
      for (const recipient of msg.recipient === 'ALL' ? AGENTS : [msg.recipient]) {
        ledger.recordDelivery(attempt(msg, { recipient, startedAt: Number(msg.id.slice(4)) }));
      }
    }
    const report = ledger.finish(done);
    expect(report).toMatchObject({ valid: true, sent: 3000 + 429 * 2, lost: 0 });
  });

  it('rejects misuse with coded errors', () => {
    const ledger = ledgerOf();
    const code = (fn: () => unknown) => {
      try {
        fn();
      } catch (error) {
        return StressError.is(error) ? error.code : 'not a StressError';
      }
      return 'no error';
    };
    expect(code(() => ledger.recordSent({ ...message(0), id: 'x-1' }, ['Agent-1']))).toBe(
      'ERR_INVALID_MESSAGE',
    );
    expect(code(() => ledger.recordAccepted('run-0'))).toBe('ERR_INTERNAL');
    ledger.recordSent(message(0), ['Agent-1']);
    expect(code(() => ledger.recordSent(message(0), ['Agent-1']))).toBe('ERR_INTERNAL');
    expect(code(() => ledger.recordSent(message(1), ['Agent-1', 'Agent-1']))).toBe('ERR_INTERNAL');
    ledger.recordAccepted('run-0');
    expect(code(() => ledger.recordRejected('run-0'))).toBe('ERR_INTERNAL');
    // Starts go back in time: a call that answers later was not reported when it started.
    ledger.recordSent(message(2), ['Agent-2']);
    ledger.recordAttemptStart('run-0', 'Agent-1', 5);
    expect(code(() => ledger.recordAttemptStart('run-2', 'Agent-2', 4))).toBe('ERR_EVENT_ORDER');
    expect(code(() => ledger.recordDelivery(attempt(message(0), { startedAt: 3 })))).toBe('ERR_EVENT_ORDER');
    expect(() => ledger.recordAttemptStart('run-2', 'Agent-2', 4)).toThrow(
      'got run-2 -> Agent-2 started at 4 ms after a start at 5 ms was reported',
    );
    // A later attempt of a started unit, and a start at the same instant, are in order.
    expect(ledger.recordDelivery(attempt(message(0), { startedAt: 6 }))).toBe('first');
    ledger.recordAttemptStart('run-2', 'Agent-2', 6);
    expect(code(() => new DeliveryLedger({ runId: '' }))).toBe('ERR_INVALID_OPTION');
    expect(code(() => ledgerOf({ profile: 'at-most-once' as never }))).toBe('ERR_INVALID_OPTION');
    expect(code(() => ledgerOf({ agents: ['Agent-1', 'Agent-2', 'Agent-1'] }))).toBe('ERR_INVALID_OPTION');
    expect(() => ledgerOf({ agents: ['Agent-1', 'Agent-1'] })).toThrow('"Agent-1" is listed twice');
  });

  describe('properties', () => {
    /** A history that follows every rule: each unit delivered at least once, first attempts in accept order. */
    const validHistory = fc
      .record({
        specs: fc.array(
          fc.record({
            recipient: fc.constantFrom('ALL', ...AGENTS),
            sender: fc.constantFrom('SYSTEM', 'Captain'),
            priority: fc.constantFrom('regular', 'urgent'),
            failuresFirst: fc.nat({ max: 2 }),
            duplicates: fc.nat({ max: 1 }),
            tie: fc.boolean(),
          }),
          { minLength: 1, maxLength: 25 },
        ),
      })
      .map(({ specs }) => {
        const messages = specs.map((spec, i) => message(i, spec as Parameters<typeof message>[1]));
        const events: DeliveryEvent[] = [];
        let clock = 0;
        specs.forEach((spec, i) => {
          const msg = messages[i]!;
          if (!spec.tie) clock++;
          for (const recipient of msg.recipient === 'ALL' ? AGENTS : [msg.recipient]) {
            for (let f = 0; f < spec.failuresFirst; f++) {
              events.push(
                attempt(msg, { recipient, startedAt: clock + f * 100, outcome: 'failed', n: f + 1 }),
              );
            }
            for (let d = 0; d <= spec.duplicates; d++) {
              events.push(
                attempt(msg, { recipient, startedAt: clock + (spec.failuresFirst + d) * 100, n: d + 2 }),
              );
            }
          }
        });
        return { messages, events };
      })
      // Completion order is arbitrary under concurrency: deliver the events in any order.
      .chain(({ messages, events }) =>
        fc
          .shuffledSubarray(events, { minLength: events.length, maxLength: events.length })
          .map((shuffled) => ({ messages, events: shuffled })),
      );

    function replay(history: { messages: Message[]; events: DeliveryEvent[] }): InvariantReport {
      const ledger = ledgerOf();
      sendAll(ledger, history.messages);
      // Calls start in clock order and are reported then; they finish in any order.
      const starts = [...history.events].sort((a, b) => a.startedAt - b.startedAt);
      for (const event of starts)
        ledger.recordAttemptStart(event.message.id, event.recipient, event.startedAt);
      for (const event of history.events) ledger.recordDelivery(event);
      return ledger.finish(done);
    }

    it('finds random valid histories valid, with an exact conservation sum', () => {
      fc.assert(
        fc.property(validHistory, (history) => {
          const report = replay(history);
          expect(report.violations).toEqual([]);
          expect(report.valid).toBe(true);
          expect(conservationSum(report)).toBe(report.sent);
        }),
      );
    });

    it('reports exactly one lost unit when every delivery of one unit is dropped', () => {
      fc.assert(
        fc.property(validHistory, fc.nat(), (history, pick) => {
          const reached = history.events.filter((e) => e.outcome === 'delivered');
          const victim = reached[pick % reached.length]!;
          const events = history.events.filter(
            (e) =>
              !(
                e.message.id === victim.message.id &&
                e.recipient === victim.recipient &&
                e.outcome === 'delivered'
              ),
          );
          const report = replay({ messages: history.messages, events });
          expect(report.lost).toBe(1);
          expect(report.valid).toBe(false);
          expect(report.examples.lost).toEqual([`${victim.message.id} -> ${victim.recipient}`]);
          expect(conservationSum(report)).toBe(report.sent);
        }),
      );
    });
  });
});
