import { describe, expect, it } from 'vitest';
import { CORRECT_PROCESSORS } from '../../fixtures/targets/correct-processors.ts';
import { FIXTURE_BUGS, type FixtureBug } from '../../fixtures/targets/planted-bugs.ts';
import { runStress } from '../../src/engine/index.ts';
import {
  checkStressProperty,
  formatStressPropertyFailure,
  stressProperty,
} from '../../src/generators/index.ts';

// Fixed fast-check seeds keep these tests deterministic. Every profile gets the default property (its workload
// and chaos within the run), the mock core's own duplicates included: the ledger tells them from the
// processor's (decision 0014).
const SEED = 11_2026;

describe('correct fixture processors pass', () => {
  const fixtures = CORRECT_PROCESSORS.filter((processor) => processor.name !== 'reference');

  it('has at least four styles besides the reference and the simple processor', () => {
    expect(new Set(fixtures.map((processor) => processor.style)).size).toBeGreaterThanOrEqual(4);
  });

  for (const processor of fixtures) {
    it(`${processor.name}: a default run delivers everything`, async () => {
      const report = await runStress({ target: processor.target(), seed: 7 });
      expect(report.failures).toEqual([]);
      expect(report.invariants.delivered).toBe(report.invariants.sent);
    });

    for (const profile of processor.profiles) {
      it(`${processor.name}: chaos property cases under ${profile}`, async () => {
        const property = stressProperty({
          target: processor.target(),
          options: { profile },
        });
        const result = await checkStressProperty(property, { seed: SEED, numRuns: 8 });
        expect(result.failure === null ? '' : formatStressPropertyFailure(result.failure)).toBe('');
        expect(result).toMatchObject({ ok: true, numRuns: 8 });
      });
    }
  }
});

describe('planted bugs of every style fail the default chaos property', () => {
  it('covers at least 12 bug classes across at least three styles besides the simple processor', () => {
    const others = FIXTURE_BUGS.filter((bug) => bug.style !== 'simple');
    expect(new Set(FIXTURE_BUGS.map((bug) => bug.bugClass)).size).toBeGreaterThanOrEqual(12);
    expect(new Set(others.map((bug) => bug.style)).size).toBeGreaterThanOrEqual(3);
    expect(new Set(FIXTURE_BUGS.map((bug) => bug.name)).size).toBe(FIXTURE_BUGS.length);
  });

  const others = FIXTURE_BUGS.filter((bug) => bug.style !== 'simple');
  it.each(others.map((bug): [string, FixtureBug] => [bug.name, bug]))('%s is caught', async (_, bug) => {
    const property = stressProperty({
      target: bug.target(),
      options: { profile: bug.profile },
    });
    const result = await checkStressProperty(property, { seed: SEED, numRuns: 25, endOnFailure: true });
    expect(result.ok, bug.why).toBe(false);
    expect(result.failure?.failures.length).toBeGreaterThan(0);
  });
});
