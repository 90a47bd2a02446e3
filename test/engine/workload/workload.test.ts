import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MESSAGE_ROLES } from '../../../src/engine/workload/message-roles.ts';
import { SeededRandom } from '../../../src/engine/workload/seeded-random.ts';
import {
  createWorkload,
  formatMessageId,
  parseMessageIndex,
  type Workload,
} from '../../../src/engine/workload/workload.ts';
import type { WorkloadOptions } from '../../../src/engine/workload/workload-options.ts';
import { MESSAGE_TYPES, type Message, validateMessage } from '../../../src/protocol/index.ts';

function tally(workload: Workload) {
  const perAgent: Record<string, number> = {};
  const deliveriesByType: Record<string, number> = {};
  const messagesByType: Record<string, number> = {};
  let messages = 0;
  for (const message of workload) {
    const recipients = message.recipient === 'ALL' ? workload.agents : [message.recipient];
    for (const agent of recipients) perAgent[agent] = (perAgent[agent] ?? 0) + 1;
    deliveriesByType[message.type] = (deliveriesByType[message.type] ?? 0) + recipients.length;
    messagesByType[message.type] = (messagesByType[message.type] ?? 0) + 1;
    messages++;
  }
  return { perAgent, deliveriesByType, messagesByType, messages };
}

const take = (workload: Workload, n: number): Message[] => {
  const out: Message[] = [];
  for (const message of workload) {
    if (out.length === n) break;
    out.push(message);
  }
  return out;
};

const nonZero = (record: Readonly<Record<string, number>>) =>
  Object.fromEntries(Object.entries(record).filter(([, value]) => value > 0));

describe('Workload', () => {
  it('plans the default run: 700 messages, 900 deliveries, 100 per agent, 450/225/225 by type', () => {
    const workload = createWorkload({}, new SeededRandom(1));
    expect(workload.agents).toEqual(Array.from({ length: 9 }, (_, i) => `Agent-${i + 1}`));
    expect(workload.totalMessages).toBe(700);
    expect(workload.plannedDeliveries).toBe(900);
    expect(workload.plannedDurationMs).toBe(4000);
    expect(nonZero(workload.quotas.perAgentByType)).toEqual({
      system_to_agent: 50,
      broadcast: 25,
      onboarding: 25,
    });
    expect(nonZero(workload.quotas.messagesByType)).toEqual({
      system_to_agent: 450,
      broadcast: 25,
      onboarding: 225,
    });
    expect(nonZero(workload.quotas.deliveriesByType)).toEqual({
      system_to_agent: 450,
      broadcast: 225,
      onboarding: 225,
    });
    const counted = tally(workload);
    expect(counted.messages).toBe(700);
    expect(counted.perAgent).toEqual(workload.quotas.deliveriesByAgent);
    expect(Object.values(counted.perAgent)).toEqual(new Array(9).fill(100));
    expect(counted.deliveriesByType).toEqual(nonZero(workload.quotas.deliveriesByType));
    expect(counted.messagesByType).toEqual(nonZero(workload.quotas.messagesByType));
  });

  it('meets exact quotas for any agents, messages per agent and type mix', () => {
    const mixArb = fc.array(fc.nat(10), { minLength: MESSAGE_TYPES.length, maxLength: MESSAGE_TYPES.length });
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 50 }),
        fc.integer({ min: 1, max: 200 }),
        mixArb,
        fc.integer(),
        (agents, perAgent, weights, seed) => {
          const usable = weights.map((w, i) =>
            agents === 1 && ['text', 'agent_to_agent', 'multi_agent_request'].includes(MESSAGE_TYPES[i]!)
              ? 0
              : w,
          );
          const total = usable.reduce((a, b) => a + b, 0);
          const typeMix = Object.fromEntries(
            MESSAGE_TYPES.map((type, i) => [
              type,
              total === 0 ? (type === 'system_to_agent' ? 1 : 0) : usable[i]! / total,
            ]),
          );
          const workload = createWorkload(
            { agents, messagesPerAgent: perAgent, typeMix },
            new SeededRandom(seed | 0),
          );
          const quota = workload.quotas.perAgentByType;
          // Largest remainder (checked in full in message-mix.test.ts): sums to the total, within 1 of exact.
          expect(MESSAGE_TYPES.reduce((sum, type) => sum + quota[type], 0)).toBe(perAgent);
          for (const type of MESSAGE_TYPES) {
            expect(Math.abs(quota[type] - perAgent * typeMix[type]!)).toBeLessThan(1 + 1e-9);
            if (typeMix[type] === 0) expect(quota[type]).toBe(0);
          }
          const counted = tally(workload);
          expect(Object.keys(counted.perAgent)).toHaveLength(agents);
          for (const count of Object.values(counted.perAgent)) expect(count).toBe(perAgent);
          for (const type of MESSAGE_TYPES)
            expect(counted.deliveriesByType[type] ?? 0).toBe(agents * quota[type]);
          expect(counted.messages).toBe(workload.totalMessages);
        },
      ),
      { numRuns: 40 },
    );
  });

  it('generates valid messages with contiguous ids, non-decreasing send times and role-based senders', () => {
    const typeMix = Object.fromEntries(MESSAGE_TYPES.map((type) => [type, 1 / MESSAGE_TYPES.length]));
    const workload = createWorkload(
      { agents: 4, messagesPerAgent: 80, typeMix, runId: 'r7' },
      new SeededRandom(2),
    );
    let previous = 0;
    let index = 0;
    for (const message of workload) {
      expect(validateMessage(message)).toBe(message);
      expect(message.id).toBe(formatMessageId('r7', index));
      expect(parseMessageIndex(message.id)).toBe(index);
      expect(message.createdAt).toBeGreaterThanOrEqual(previous);
      previous = message.createdAt;
      const role = MESSAGE_ROLES[message.type];
      expect(message.senderKind).toBe(role.senderKind);
      if (role.sender === undefined) {
        expect(workload.agents).toContain(message.sender);
        expect(message.sender).not.toBe(message.recipient);
      } else {
        expect(message.sender).toBe(role.sender);
      }
      expect(message.recipient === 'ALL').toBe(message.type === 'broadcast');
      if (role.tag) expect(message.tags).toContain(role.tag);
      index++;
    }
    expect(index).toBe(workload.totalMessages);
  });

  it('is deterministic per seed and replays from the start on every iteration', () => {
    const options: WorkloadOptions = {
      agents: 5,
      messagesPerAgent: 40,
      arrival: { kind: 'open', process: 'poisson' },
    };
    const first = take(createWorkload(options, new SeededRandom(11)), 200);
    const again = createWorkload(options, new SeededRandom(11));
    expect(take(again, 200)).toEqual(first);
    expect(take(again, 200)).toEqual(first);
    expect(take(createWorkload(options, new SeededRandom(12)), 200)).not.toEqual(first);
  });

  it('keeps the order and timing when only the tags change (each aspect has its own stream)', () => {
    const shape = (m: Message) => [m.recipient, m.type, m.createdAt, m.sender];
    const a = take(createWorkload({ tagMix: {} }, new SeededRandom(5)), 300).map(shape);
    const b = take(createWorkload({ tagMix: { wrapup: 0.5 } }, new SeededRandom(5)), 300).map(shape);
    expect(b).toEqual(a);
  });

  it('generates lazily: a billion planned deliveries cost nothing until iterated', () => {
    const started = performance.now();
    const workload = createWorkload({ agents: 10_000, messagesPerAgent: 100_000 }, new SeededRandom(3));
    const firsts = take(workload, 3);
    expect(performance.now() - started).toBeLessThan(2000);
    expect(workload.plannedDeliveries).toBe(1_000_000_000);
    expect(workload.totalMessages).toBe(750_025_000);
    expect(firsts.map((message) => message.id)).toEqual(['run-0', 'run-1', 'run-2']);
  });

  it('spreads urgent messages to the exact planned count', () => {
    const workload = createWorkload({ agents: 7, messagesPerAgent: 33 }, new SeededRandom(9));
    const urgent = [...workload].filter((message) => message.priority === 'urgent').length;
    expect(urgent).toBe(workload.quotas.messagesByPriority.urgent);
    expect(Math.abs(urgent - workload.totalMessages * 0.1)).toBeLessThan(1);
    expect(workload.quotas.messagesByPriority.regular).toBe(workload.totalMessages - urgent);
    const all = createWorkload({ priorityMix: { urgent: 1 } }, new SeededRandom(9));
    expect([...all].every((message) => message.priority === 'urgent')).toBe(true);
    const none = createWorkload({ priorityMix: { regular: 1 } }, new SeededRandom(9));
    expect([...none].some((message) => message.priority === 'urgent')).toBe(false);
  });

  it('adds tags from the tag mix on top of the type tag, without repeats', () => {
    const plain = createWorkload({ tagMix: {} }, new SeededRandom(4));
    for (const message of plain) {
      const tag = MESSAGE_ROLES[message.type].tag;
      expect(message.tags).toEqual(tag ? [tag] : []);
    }
    const tagged = createWorkload({ tagMix: { wrapup: 1, system: 1 } }, new SeededRandom(4));
    for (const message of tagged) {
      expect(message.tags).toContain('wrapup');
      expect(new Set(message.tags).size).toBe(message.tags.length);
    }
  });

  it('sizes content within the byte range', () => {
    const workload = createWorkload({ content: { minBytes: 30, maxBytes: 60 } }, new SeededRandom(8));
    const lengths = [...workload].map((message) => message.content.length);
    expect(Math.min(...lengths)).toBeGreaterThanOrEqual(30);
    expect(Math.max(...lengths)).toBeLessThanOrEqual(60);
    expect(new Set(lengths).size).toBeGreaterThan(20);
    const tiny = take(createWorkload({ content: { minBytes: 5, maxBytes: 5 } }, new SeededRandom(8)), 1);
    expect(tiny[0]!.content).toBe('Stres');
  });

  it('uses the arrival model for send times', () => {
    const constant = take(createWorkload({}, new SeededRandom(1)), 3).map((m) => m.createdAt);
    expect(constant).toEqual([0, 4000 / 700, (2 * 4000) / 700]);
    const burst = createWorkload({ arrival: { kind: 'burst', size: 100, gapMs: 50 } }, new SeededRandom(1));
    const times = [...burst].map((m) => m.createdAt);
    expect([times[0], times[99], times[100], times[699]]).toEqual([0, 0, 50, 300]);
    expect(burst.plannedDurationMs).toBe(300);
    const all = createWorkload({ arrival: { kind: 'burst' } }, new SeededRandom(1));
    expect([...all].every((m) => m.createdAt === 0)).toBe(true);
  });

  it('parses message indexes strictly', () => {
    expect(parseMessageIndex('run-with-dashes-42')).toBe(42);
    expect(parseMessageIndex('run-007')).toBeUndefined();
    expect(parseMessageIndex('run-')).toBeUndefined();
    expect(parseMessageIndex('nodash')).toBeUndefined();
  });
});
