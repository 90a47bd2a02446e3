import { describe, expect, it } from 'vitest';
import type { StressReport } from '../../src/engine/index.ts';
import { collectWarnings } from '../../src/report/stress-test-record.ts';

const reportWith = (...warnings: string[]): StressReport => ({ warnings }) as unknown as StressReport;

describe("a test's engine warnings", () => {
  it('keeps each distinct warning once, in first-seen order, with how many runs gave it', () => {
    const reports = [reportWith('b', 'a', 'a'), reportWith('a'), reportWith()];
    expect(collectWarnings(reports)).toEqual(['b', 'a (in 2 of 3 runs)']);
  });

  it('is empty without warnings, and bounded with many', () => {
    expect(collectWarnings([reportWith(), reportWith()])).toEqual([]);
    const many = collectWarnings([reportWith(...Array.from({ length: 25 }, (_, i) => `w${i}`))]);
    expect(many).toHaveLength(21);
    expect(many.at(-1)).toBe('... and 5 more distinct warning(s)');
  });
});
