import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type HeapTimer, TimerHeap } from '../../../src/engine/clock/timer-heap.ts';

const timer = (id: number, due: number): HeapTimer => ({ id, due, index: -1 });

describe('TimerHeap', () => {
  it('pops by (due, id) after any mix of pushes and removals', () => {
    const op = fc.oneof(
      fc.record({ push: fc.integer({ min: 0, max: 20 }) }),
      fc.record({ remove: fc.nat() }),
      fc.constant({ pop: true as const }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 120 }), (ops) => {
        const heap = new TimerHeap<HeapTimer>();
        const model: HeapTimer[] = [];
        let nextId = 1;
        const sorted = () => [...model].sort((a, b) => a.due - b.due || a.id - b.id);
        for (const step of ops) {
          if ('push' in step) {
            const t = timer(nextId++, step.push);
            heap.push(t);
            model.push(t);
          } else if ('remove' in step) {
            if (model.length === 0) continue;
            const victim = model.splice(step.remove % model.length, 1)[0]!;
            expect(heap.has(victim)).toBe(true);
            heap.remove(victim);
            expect(heap.has(victim)).toBe(false);
            expect(victim.index).toBe(-1);
          } else {
            const expected = sorted()[0];
            expect(heap.pop()).toBe(expected);
            if (expected) model.splice(model.indexOf(expected), 1);
          }
          expect(heap.size).toBe(model.length);
          expect(heap.peek()).toBe(sorted()[0]);
        }
      }),
    );
  });

  it('does not claim a timer it does not hold', () => {
    const a = new TimerHeap<HeapTimer>();
    const b = new TimerHeap<HeapTimer>();
    const t = timer(1, 0);
    a.push(t);
    b.push(timer(2, 0));
    expect(a.has(t)).toBe(true);
    expect(b.has(t)).toBe(false);
    expect(new TimerHeap<HeapTimer>().pop()).toBeUndefined();
  });
});
