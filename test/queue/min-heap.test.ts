import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MinHeap } from '../../src/queue/min-heap.ts';

describe('MinHeap', () => {
  it('pops in ascending order whatever the push and pop interleaving', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.integer({ min: -50, max: 50 }), fc.constant(null)), { maxLength: 200 }),
        (ops) => {
          const heap = new MinHeap<number>((a, b) => a < b);
          const model: number[] = [];
          for (const op of ops) {
            if (op === null) {
              model.sort((a, b) => a - b);
              expect(heap.pop()).toBe(model.shift());
            } else {
              heap.push(op);
              model.push(op);
            }
            expect(heap.size).toBe(model.length);
            expect(heap.peek()).toBe(model.length === 0 ? undefined : Math.min(...model));
          }
          expect(heap.toArray().sort((a, b) => a - b)).toEqual(model.sort((a, b) => a - b));
        },
      ),
    );
  });
});
