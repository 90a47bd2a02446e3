import { describe, expect, it } from 'vitest';
import {
  createArrivalClock,
  DEFAULT_ARRIVAL,
  resolveArrivalModel,
} from '../../../src/engine/workload/arrival-model.ts';
import { SeededRandom } from '../../../src/engine/workload/seeded-random.ts';

const times = (clock: { next(): number }, n: number) => Array.from({ length: n }, () => clock.next());

describe('resolveArrivalModel', () => {
  it('applies defaults', () => {
    expect(resolveArrivalModel(undefined)).toEqual(DEFAULT_ARRIVAL);
    expect(DEFAULT_ARRIVAL).toEqual({ kind: 'open', ratePerAgent: 25, process: 'constant' });
    expect(resolveArrivalModel({ kind: 'open', process: 'poisson' })).toEqual({
      kind: 'open',
      ratePerAgent: 25,
      process: 'poisson',
    });
    expect(resolveArrivalModel({ kind: 'burst' })).toEqual({ kind: 'burst', gapMs: 1000 });
    expect(resolveArrivalModel({ kind: 'burst', size: 10, gapMs: 0 })).toEqual({
      kind: 'burst',
      size: 10,
      gapMs: 0,
    });
  });

  it.each([
    ['x', /`arrival` to be an arrival model object/],
    [{ kind: 'closed' }, /`arrival.kind` to be "open" or "burst"/],
    [{ kind: 'open', ratePerAgent: 0 }, /`arrival.ratePerAgent`/],
    [{ kind: 'open', process: 'bursty' }, /`arrival.process` to be "constant" or "poisson"/],
    [{ kind: 'burst', size: 0 }, /`arrival.size`/],
    [{ kind: 'burst', size: 1.5 }, /`arrival.size`/],
    [{ kind: 'burst', gapMs: -1 }, /`arrival.gapMs`/],
  ])('rejects %j', (input, message) => {
    expect(() => resolveArrivalModel(input)).toThrow(message);
  });
});

describe('createArrivalClock', () => {
  it('spaces a constant stream evenly over messagesPerAgent / ratePerAgent seconds', () => {
    const clock = createArrivalClock(DEFAULT_ARRIVAL, 700, 100, new SeededRandom(1));
    expect(clock.plannedDurationMs).toBe(4000);
    expect(times(clock, 3)).toEqual([0, 4000 / 700, 8000 / 700]);
  });

  it('draws exponential gaps with the same mean for a poisson stream', () => {
    const model = resolveArrivalModel({ kind: 'open', ratePerAgent: 10, process: 'poisson' });
    const n = 20_000;
    const clock = createArrivalClock(model, n, 100, new SeededRandom(3));
    const sent = times(clock, n);
    expect(sent[0]).toBe(0);
    for (let i = 1; i < n; i++) expect(sent[i]!).toBeGreaterThanOrEqual(sent[i - 1]!);
    const meanGap = sent[n - 1]! / (n - 1);
    expect(meanGap / (10_000 / n)).toBeCloseTo(1, 1);
    const again = createArrivalClock(model, n, 100, new SeededRandom(3));
    expect(times(again, 50)).toEqual(sent.slice(0, 50));
  });

  it('sends bursts of size every gapMs, or everything at once', () => {
    const bursts = createArrivalClock({ kind: 'burst', size: 2, gapMs: 10 }, 5, 1, new SeededRandom(1));
    expect(times(bursts, 5)).toEqual([0, 0, 10, 10, 20]);
    expect(bursts.plannedDurationMs).toBe(20);
    const once = createArrivalClock({ kind: 'burst', gapMs: 10 }, 4, 1, new SeededRandom(1));
    expect(times(once, 4)).toEqual([0, 0, 0, 0]);
    expect(once.plannedDurationMs).toBe(0);
  });
});
