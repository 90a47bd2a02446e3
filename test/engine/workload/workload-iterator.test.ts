import { describe, expect, it } from 'vitest';
import { SeededRandom } from '../../../src/engine/workload/seeded-random.ts';
import { createWorkload } from '../../../src/engine/workload/workload.ts';

describe('WorkloadIterator', () => {
  it('peeks the next send time without generating or shifting anything', () => {
    const workload = createWorkload({ agents: 2, messagesPerAgent: 3 }, new SeededRandom(1));
    const peeking = workload.messages();
    const plain = workload.messages();
    expect(peeking.index).toBe(0);
    expect(peeking.peekCreatedAt()).toBe(0);
    expect(peeking.peekCreatedAt()).toBe(0);
    expect(peeking.index).toBe(0);
    const all = [];
    for (let m = peeking.next(); !m.done; m = peeking.next()) {
      expect(m.value).toEqual(plain.next().value);
      all.push(m.value);
      const next = peeking.peekCreatedAt();
      if (next !== undefined) expect(next).toBeGreaterThanOrEqual(m.value.createdAt);
    }
    expect(all).toHaveLength(workload.totalMessages);
    expect(peeking.index).toBe(workload.totalMessages);
    expect(peeking.peekCreatedAt()).toBeUndefined();
    expect(peeking.next()).toEqual({ value: undefined, done: true });
    expect(plain.next().done).toBe(true);
  });

  it('is its own iterable', () => {
    const iterator = createWorkload({ agents: 2, messagesPerAgent: 2 }, new SeededRandom(1)).messages();
    iterator.next();
    expect([...iterator].map((m) => m.id)).toEqual(['run-1', 'run-2']); // 2 system_to_agent + 1 broadcast
  });
});
