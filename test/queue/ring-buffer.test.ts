import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RingBuffer } from '../../src/queue/ring-buffer.ts';

describe('RingBuffer', () => {
  it('behaves like an array used as a FIFO, through growth and wrap-around', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.integer(), fc.constant('shift' as const)), { maxLength: 300 }),
        (ops) => {
          const ring = new RingBuffer<number>();
          const model: number[] = [];
          for (const op of ops) {
            if (op === 'shift') expect(ring.shift()).toBe(model.shift());
            else {
              ring.push(op);
              model.push(op);
            }
            expect(ring.size).toBe(model.length);
            expect(ring.peek()).toBe(model[0]);
          }
          expect(ring.toArray()).toEqual(model);
        },
      ),
    );
  });

  it('returns undefined from an empty buffer', () => {
    const ring = new RingBuffer<string>();
    expect(ring.shift()).toBeUndefined();
    expect(ring.peek()).toBeUndefined();
  });
});
