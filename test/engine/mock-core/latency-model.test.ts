import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_LATENCY,
  describeLatencyModel,
  type LatencyModel,
  resolveLatencyModel,
  sampleLatency,
} from '../../../src/engine/mock-core/latency-model.ts';
import { SeededRandom } from '../../../src/engine/workload/seeded-random.ts';

const samples = (model: LatencyModel, seed: number, n: number): number[] => {
  const random = new SeededRandom(seed);
  return Array.from({ length: n }, () => sampleLatency(model, random));
};

describe('resolveLatencyModel', () => {
  it('accepts each kind and drops unknown extra fields', () => {
    expect(resolveLatencyModel({ kind: 'none' })).toEqual({ kind: 'none' });
    expect(resolveLatencyModel({ kind: 'fixed', ms: 3 })).toEqual({ kind: 'fixed', ms: 3 });
    expect(resolveLatencyModel(DEFAULT_LATENCY)).toEqual({ kind: 'uniform', minMs: 1, maxMs: 5 });
    const lognormal = { kind: 'lognormal', medianMs: 4, sigma: 0.5, capMs: 100 };
    expect(resolveLatencyModel({ ...lognormal, extra: 1 })).toEqual(lognormal);
  });

  it.each([
    [null, 'latency', /latency model object/],
    [{ kind: 'gauss' }, 'latency.kind', /"none", "fixed", "uniform" or "lognormal", got "gauss"/],
    [{ kind: 'fixed', ms: -1 }, 'latency.ms', /milliseconds from 0/],
    [{ kind: 'fixed', ms: Number.NaN }, 'latency.ms', /got `NaN`/],
    [{ kind: 'uniform', minMs: 5, maxMs: 1 }, 'latency.maxMs', /at least `minMs` \(5\)/],
    [{ kind: 'lognormal', medianMs: 5, sigma: -1, capMs: 10 }, 'latency.sigma', /from 0 to 10/],
    [{ kind: 'lognormal', medianMs: 5, sigma: 1, capMs: 1 }, 'latency.capMs', /at least `medianMs`/],
  ])('rejects %j at %s', (input, path, message) => {
    expect(() => resolveLatencyModel(input)).toThrow(message);
    try {
      resolveLatencyModel(input);
    } catch (error) {
      expect(error).toMatchObject({ code: 'ERR_INVALID_OPTION', details: { path } });
    }
  });
});

describe('sampleLatency', () => {
  it('returns 0 for none and the constant for fixed, drawing nothing', () => {
    const random = new SeededRandom(1);
    expect(sampleLatency({ kind: 'none' }, random)).toBe(0);
    expect(sampleLatency({ kind: 'fixed', ms: 7 }, random)).toBe(7);
    expect(random.nextFloat()).toBe(new SeededRandom(1).nextFloat());
  });

  it('keeps uniform samples within their bounds and lognormal samples within (0, cap]', () => {
    fc.assert(
      fc.property(fc.integer(), fc.nat(100), fc.nat(100), (seed, a, b) => {
        const [minMs, maxMs] = a <= b ? [a, b] : [b, a];
        for (const ms of samples({ kind: 'uniform', minMs, maxMs }, seed | 0, 20)) {
          expect(ms >= minMs && ms <= maxMs).toBe(true);
        }
        const capMs = maxMs + 1;
        for (const ms of samples({ kind: 'lognormal', medianMs: minMs + 1, sigma: 2, capMs }, seed | 0, 20)) {
          expect(ms > 0 && ms <= capMs).toBe(true);
        }
      }),
    );
  });

  it('centres lognormal samples on the median and caps the tail', () => {
    const values = samples({ kind: 'lognormal', medianMs: 10, sigma: 1, capMs: 200 }, 5, 20_000).sort(
      (a, b) => a - b,
    );
    const median = values[10_000]!;
    expect(median).toBeGreaterThan(9.5);
    expect(median).toBeLessThan(10.5);
    expect(values.at(-1)).toBe(200);
  });

  it('is deterministic per seed', () => {
    const model: LatencyModel = { kind: 'uniform', minMs: 1, maxMs: 5 };
    expect(samples(model, 3, 50)).toEqual(samples(model, 3, 50));
    expect(samples(model, 3, 50)).not.toEqual(samples(model, 4, 50));
  });
});

describe('describeLatencyModel', () => {
  it('names each kind briefly', () => {
    expect(describeLatencyModel({ kind: 'none' })).toBe('no latency');
    expect(describeLatencyModel({ kind: 'fixed', ms: 2 })).toBe('fixed 2 ms');
    expect(describeLatencyModel(DEFAULT_LATENCY)).toBe('uniform 1-5 ms');
    expect(describeLatencyModel({ kind: 'lognormal', medianMs: 3, sigma: 0.5, capMs: 50 })).toBe(
      'lognormal median 3 ms, sigma 0.5, cap 50 ms',
    );
  });
});
