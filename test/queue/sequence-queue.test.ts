import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SequenceQueue } from '../../src/queue/sequence-queue.ts';

describe('SequenceQueue', () => {
  it('always shifts the lowest sequence held, for fresh and re-inserted items alike', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.constant('fresh'), fc.constant('shift'), fc.nat(20)), { maxLength: 200 }),
        (ops) => {
          const queue = new SequenceQueue<{ sequence: number }>();
          const held: number[] = [];
          const taken: number[] = [];
          let next = 0;
          for (const op of ops) {
            if (op === 'fresh') {
              queue.push({ sequence: ++next });
              held.push(next);
            } else if (op === 'shift') {
              held.sort((a, b) => a - b);
              const item = queue.shift();
              expect(item?.sequence).toBe(held.shift());
              if (item !== undefined) taken.push(item.sequence);
            } else if (taken.length > 0) {
              // Put back a previously taken item, as a retry or an expired lease does.
              const [sequence] = taken.splice(op % taken.length, 1);
              queue.push({ sequence: sequence! });
              held.push(sequence!);
            }
            expect(queue.size).toBe(held.length);
          }
          expect(queue.toArray().map((item) => item.sequence)).toEqual(held.sort((a, b) => a - b));
          expect(queue.peek()?.sequence).toBe(held[0]);
        },
      ),
    );
  });
});
