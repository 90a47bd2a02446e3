import { describe, expect, it } from 'vitest';
import { worsePValue } from '../../src/compare/index.ts';

describe('worsePValue', () => {
  it('needs at least two runs on each side', () => {
    expect(worsePValue([1], [2, 3], 'greater')).toBeNull();
    expect(worsePValue([1, 2], [3], 'greater')).toBeNull();
  });

  it('is small when current is clearly worse, large when it is better, and the same on every call', () => {
    const baseline = [10, 10.2, 9.9, 10.1, 10];
    const current = [12, 12.1, 11.9, 12.2, 12];
    const p = worsePValue(baseline, current, 'greater');
    expect(p).toBeLessThan(0.01);
    expect(worsePValue(baseline, current, 'greater')).toBe(p);
    expect(worsePValue(baseline, current, 'less')).toBeGreaterThan(0.99);
  });

  it('cannot tell apart two samples from the same spread', () => {
    expect(worsePValue([1, 3, 2, 4], [2, 4, 1, 3], 'greater')).toBeGreaterThan(0.3);
  });
});
