import { internalError, type Message, StressError } from '../../protocol/index.ts';
import type { TimelineFinding } from '../metrics/run-timeline.ts';
import { type DeliveryEvent, reachedRecipient } from '../mock-core/delivery-sink.ts';
import {
  type DeliveryLedgerOptions,
  type ResolvedDeliveryLedgerOptions,
  resolveDeliveryLedgerOptions,
} from './delivery-ledger-options.ts';
import { buildInvariantReport, type InvariantReport, type LedgerFinish } from './invariant-report.ts';
import { placeFindings } from './ledger-findings.ts';
import {
  ENQUEUE_ACCEPTED,
  ENQUEUE_MASK,
  ENQUEUE_REJECTED,
  ENQUEUE_UNSETTLED,
  LedgerTables,
  MESSAGE_URGENT,
  UNIT_DEAD_LETTERED,
  UNIT_RELEASED,
  UNIT_STARTED,
} from './ledger-tables.ts';
import { OrderTracker } from './order-tracker.ts';

/**
 * What {@link DeliveryLedger.recordDelivery} made of an event: the unit's first delivery, a repeat, an attempt
 * that did not reach the recipient, or an event for a unit that was never sent.
 */
export type DeliveryVerdict = 'first' | 'duplicate' | 'not_reached' | 'unexpected';

/**
 * Accounts for every delivery unit (one message to one recipient) of a run with Jepsen's total-queue
 * semantics, in typed arrays: each unit must come out as delivered, dead-lettered, rejected or still pending.
 * Message ids must be `<runId>-<index>` with a small integer index, as the workload assigns them. Attempt starts
 * must be reported in clock order, each when it happens (see {@link DeliveryLedger.recordAttemptStart}): the
 * order checks judge units as they go, so a settled unit keeps about 12 bytes and none of its times.
 * @example
 * const ledger = new DeliveryLedger({ runId: 'r1', agents });
 * ledger.recordSent(message, ['Agent-1']);
 * ledger.recordAccepted(message.id);
 * const verdict = ledger.recordDelivery(event); // also feed it to MetricsCollector.recordDelivery
 * const report = ledger.finish(target.inspect());
 */
export class DeliveryLedger {
  readonly options: ResolvedDeliveryLedgerOptions;
  private readonly tables: LedgerTables;
  private readonly order: OrderTracker;
  private readonly prefix: string;
  private unexpectedCount = 0;
  private readonly unexpectedExamples: string[] = [];
  private attempts = 0;
  private deliveries = 0;
  /** The latest first start reported: a unit's first start may not come before it. */
  private latestStart = Number.NEGATIVE_INFINITY;
  // The last unit looked up by (id, recipient), and its message: a call that waits out a latency reports its
  // start and then its end, with nothing in between when the target is not saturated, so the second lookup is
  // two comparisons.
  private lastId = '';
  private lastRecipient = '';
  private lastUnit = -1;
  private lastMessage = -1;
  // The last sender interned, and the last id parsed (see recordSent and indexOf).
  private lastSender: string | undefined;
  private lastSenderId = -1;
  private lastParsedId = '';
  private lastParsedIndex = -1;

  constructor(options: DeliveryLedgerOptions) {
    this.options = resolveDeliveryLedgerOptions(options);
    this.tables = new LedgerTables(this.options.expectedMessages, this.options.expectedUnits);
    this.order = new OrderTracker(this.tables, this.options.runId, this.options.maxExamples);
    this.prefix = `${this.options.runId}-`;
    for (const agent of this.options.agents) this.tables.intern(agent);
  }

  /** Records an attempted enqueue of `message`, whose units go to `recipients` (a broadcast: every agent). */
  recordSent(message: Message, recipients: readonly string[]): void {
    const index = this.indexOf(message.id);
    if (index < 0) {
      throw new StressError(
        'ERR_INVALID_MESSAGE',
        `Expected message id to be "${this.prefix}<index>" with an integer index, got ${JSON.stringify(message.id)}.`,
      );
    }
    const t = this.tables;
    t.ensureMessage(index);
    if (t.messageStart[index]! >= 0) throw internalError(`Message ${message.id} was recorded as sent twice`);
    // The run's own agent list is unique by construction (validated with the workload); check anything else.
    if (
      recipients.length > 1 &&
      recipients !== this.options.agents &&
      new Set(recipients).size !== recipients.length
    ) {
      throw internalError(`Message ${message.id} lists a recipient twice`);
    }
    t.ensureUnits(recipients.length);
    t.messageStart[index] = t.unitCount;
    t.messageUnits[index] = recipients.length;
    // Senders repeat (the system, the captain) while recipients vary: a sender-only cache keeps hitting.
    if (message.sender !== this.lastSender) {
      this.lastSender = message.sender;
      this.lastSenderId = t.intern(message.sender);
    }
    t.messageSender[index] = this.lastSenderId;
    t.messageFlags[index] = message.priority === 'urgent' ? MESSAGE_URGENT : 0;
    const sentAt = message.createdAt;
    if (recipients === this.options.agents) {
      // The run's agents were interned first, in order: agent i is participant i.
      for (let i = 0; i < recipients.length; i++) t.unitRecipient[t.window.open(sentAt)] = i;
    } else {
      for (const recipient of recipients) t.unitRecipient[t.window.open(sentAt)] = t.intern(recipient);
    }
    t.unitCount += recipients.length;
    if (index >= t.messageCount) t.messageCount = index + 1;
  }

  /** Records that the target accepted the message; acceptance order is the order checks' reference. */
  recordAccepted(messageId: string): void {
    this.order.accepted(this.settle(messageId, ENQUEUE_ACCEPTED));
  }

  /** Records that the target refused the message (backpressure or a failed write). */
  recordRejected(messageId: string): void {
    this.order.refused(this.settle(messageId, ENQUEUE_REJECTED));
  }

  /**
   * Records that a call to the core started, so a call never answered still dates its unit's first attempt.
   * Starts must come in clock order, each when it happens: a call answered at once may report its start with
   * its event instead (see {@link DeliveryLedger.recordDelivery}). A first start earlier than one already
   * reported is refused with `ERR_EVENT_ORDER`.
   */
  recordAttemptStart(messageId: string, recipient: string, startedAt: number): void {
    const unit = this.unitFor(messageId, recipient);
    if (unit >= 0) this.noteStart(unit, this.lastMessage, startedAt);
  }

  /** Records one finished call to the core and says what it meant for its unit. */
  recordDelivery(event: DeliveryEvent): DeliveryVerdict {
    const t = this.tables;
    const unit = this.unitFor(event.message.id, event.recipient);
    if (unit < 0) {
      this.noteUnexpected(event.message.id, event.recipient);
      return 'unexpected';
    }
    const message = this.lastMessage;
    this.attempts++;
    this.noteStart(unit, message, event.startedAt);
    if (!reachedRecipient(event.outcome)) return 'not_reached';
    this.deliveries++;
    // The core's own copy, and the redelivery its false failure report invites, are not the processor's.
    if (event.injected === true || event.outcome === 'delivered_reported_failed')
      t.unitCoreDuplicates.increment(unit);
    if (t.unitDeliveries.increment(unit) > 1) return 'duplicate';
    t.releaseIfDone(unit, message);
    return 'first';
  }

  /**
   * Records that the target gave up on these units and returns how many were not marked before; a unit also
   * delivered still counts as delivered.
   */
  recordDeadLettered(messageId: string, recipients: readonly string[]): number {
    const t = this.tables;
    const index = this.indexOf(messageId);
    let newly = 0;
    for (const name of recipients) {
      const recipient = t.ids.get(name);
      const unit = recipient === undefined ? -1 : t.unitOf(index, recipient);
      if (unit < 0) this.noteUnexpected(messageId, name);
      else if ((t.unitFlags[unit]! & UNIT_DEAD_LETTERED) === 0) {
        newly++;
        t.unitFlags[unit]! |= UNIT_DEAD_LETTERED;
        t.releaseIfDone(unit, index);
      }
    }
    return newly;
  }

  /**
   * Checks every invariant after the final drain; `pending` and `processing` are the delivery units the target
   * still holds waiting and mid-attempt (what `target.inspect()` returns).
   */
  finish(finish: LedgerFinish): InvariantReport {
    return buildInvariantReport(this.tables, finish, this.order.finish(), {
      ...this.options,
      unexpected: this.unexpectedCount,
      unexpectedExamples: this.unexpectedExamples,
      attempts: this.attempts,
      deliveries: this.deliveries,
    });
  }

  /** Up to `max` lost and stuck units placed in time, for the run's timeline (see {@link placeFindings}). */
  findingsInTime(report: InvariantReport, max = 20): TimelineFinding[] {
    return placeFindings(this.tables, report, this.options.runId, max);
  }

  /**
   * How many units' times the ledger holds (in chunks of 1,024): the units in flight and around them, and any
   * unit not resolved yet or waiting behind one not started. It stays small while units settle, whatever the
   * run's length.
   */
  get unitsHeld(): number {
    return this.tables.window.unitsHeld;
  }

  /** Notes an attempt of `unit` that started at `startedAt`: its first start dates it for the order checks. */
  private noteStart(unit: number, message: number, startedAt: number): void {
    const t = this.tables;
    const flags = t.unitFlags[unit]!;
    if ((flags & UNIT_STARTED) !== 0) {
      // A later attempt; one that started before the first reported one was never reported when it started.
      if ((flags & UNIT_RELEASED) === 0 && startedAt < t.window.startOf(unit))
        this.outOfOrder(unit, message, startedAt, t.window.startOf(unit));
      return;
    }
    if (startedAt < this.latestStart) this.outOfOrder(unit, message, startedAt, this.latestStart);
    this.latestStart = startedAt;
    t.unitFlags[unit] = flags | UNIT_STARTED;
    // A refused unit's times are gone and it takes no part in the order rules.
    if ((flags & UNIT_RELEASED) !== 0) return;
    t.window.setStart(unit, startedAt);
    this.order.started(unit, message);
  }

  private outOfOrder(unit: number, message: number, startedAt: number, reported: number): never {
    throw new StressError(
      'ERR_EVENT_ORDER',
      `Expected attempt starts in clock order, each reported when it happens, got ` +
        `${this.tables.describe(this.options.runId, message, unit)} started at ${startedAt} ms after a start at ` +
        `${reported} ms was reported. A core that answers later must call DeliverySink.onAttemptStart when ` +
        'the call starts.',
    );
  }

  private settle(messageId: string, outcome: number): number {
    const t = this.tables;
    const index = this.indexOf(messageId);
    if (!t.wasSent(index)) {
      throw internalError(`Message ${messageId} was settled before it was recorded as sent`);
    }
    const flags = t.messageFlags[index]!;
    if ((flags & ENQUEUE_MASK) !== ENQUEUE_UNSETTLED) {
      throw internalError(`The enqueue of message ${messageId} was settled twice`);
    }
    t.messageFlags[index] = flags | outcome;
    return index;
  }

  /**
   * The unit of message `id` addressed to `recipient`, or -1 when no such unit was sent; a unit found leaves its
   * message index in `lastMessage`.
   */
  private unitFor(id: string, recipient: string): number {
    if (id === this.lastId && recipient === this.lastRecipient) return this.lastUnit;
    const t = this.tables;
    const index = this.indexOf(id);
    // A direct message has one unit: comparing its recipient's name skips the name lookup.
    const start = t.wasSent(index) ? t.messageStart[index]! : -1;
    let unit = -1;
    if (start >= 0 && t.messageUnits[index] === 1) {
      if (t.names[t.unitRecipient[start]!] === recipient) unit = start;
    } else if (start >= 0) {
      const participant = t.ids.get(recipient);
      if (participant !== undefined) unit = t.unitOf(index, participant);
    }
    // Only a found unit is cached: a message unknown now may still be sent later.
    if (unit >= 0) {
      this.lastId = id;
      this.lastRecipient = recipient;
      this.lastUnit = unit;
      this.lastMessage = index;
    }
    return unit;
  }

  private noteUnexpected(messageId: string, recipient: string): void {
    this.unexpectedCount++;
    if (this.unexpectedExamples.length < this.options.maxExamples) {
      this.unexpectedExamples.push(`${messageId} -> ${recipient}`);
    }
  }

  /** The index in `<runId>-<index>`, or -1 for a foreign id; leading zeros are foreign so ids stay unique. */
  private indexOf(id: string): number {
    // An id is usually parsed again right after (sent, then accepted): the last answer is kept.
    if (id === this.lastParsedId) return this.lastParsedIndex;
    const index = this.parseIndex(id);
    this.lastParsedId = id;
    this.lastParsedIndex = index;
    return index;
  }

  private parseIndex(id: string): number {
    const prefix = this.prefix;
    const length = id.length;
    if (length <= prefix.length || !id.startsWith(prefix)) return -1;
    if (id.charCodeAt(prefix.length) === 48 && length > prefix.length + 1) return -1;
    let index = 0;
    for (let i = prefix.length; i < length; i++) {
      const digit = id.charCodeAt(i) - 48;
      if (digit < 0 || digit > 9) return -1;
      index = index * 10 + digit;
      if (index > 0x3fffffff) return -1;
    }
    return index;
  }
}
