import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createWorkload, SeededRandom } from '../../src/engine/index.ts';
import { DEFAULT_MESSAGE_MIX, messageMix } from '../../src/generators/index.ts';
import { MESSAGE_TYPES, StressError } from '../../src/protocol/index.ts';

const sum = (mix: object): number => Object.values(mix).reduce((total: number, share) => total + share, 0);

describe('messageMix', () => {
  it('generates mixes of known types whose shares sum to 1, which the engine accepts', () => {
    fc.assert(
      fc.property(messageMix(), (mix) => {
        expect(Math.abs(sum(mix) - 1)).toBeLessThanOrEqual(1e-9);
        for (const [type, share] of Object.entries(mix)) {
          expect(MESSAGE_TYPES).toContain(type);
          expect(share).toBeGreaterThan(0);
        }
        createWorkload({ agents: 2, messagesPerAgent: 10, typeMix: mix }, new SeededRandom(1));
      }),
      { seed: 1, numRuns: 200 },
    );
  });

  it('varies: it generates more than the default mix', () => {
    const samples = fc.sample(messageMix(), { seed: 2, numRuns: 50 });
    expect(new Set(samples.map((mix) => JSON.stringify(mix))).size).toBeGreaterThan(10);
    expect(samples).toContainEqual(DEFAULT_MESSAGE_MIX);
  });

  it('uses only the allowed types', () => {
    fc.assert(
      fc.property(messageMix({ types: ['text', 'broadcast'] }), (mix) => {
        expect(Object.keys(mix).every((type) => type === 'text' || type === 'broadcast')).toBe(true);
      }),
      { seed: 3, numRuns: 100 },
    );
  });

  it('shrinks to the default mix', () => {
    const details = fc.check(
      fc.property(messageMix(), () => false),
      { seed: 4 },
    );
    expect(details.counterexample?.[0]).toEqual(DEFAULT_MESSAGE_MIX);
  });

  it('shrinks a failure that needs one type to that type alone', () => {
    const details = fc.check(
      fc.property(messageMix(), (mix) => !((mix.human_to_agent ?? 0) > 0)),
      { seed: 5 },
    );
    expect(details.failed).toBe(true);
    expect(details.counterexample?.[0]).toEqual({ human_to_agent: 1 });
  });

  it('shrinks towards the default restricted to the allowed types', () => {
    const details = fc.check(
      fc.property(messageMix({ types: ['broadcast', 'onboarding', 'text'] }), () => false),
      { seed: 6 },
    );
    expect(details.counterexample?.[0]).toEqual({ broadcast: 0.5, onboarding: 0.5 });
  });

  it('rejects bad constraints', () => {
    expect(() => messageMix({ types: [] })).toThrow(StressError);
    expect(() => messageMix({ types: ['email' as never] })).toThrow(/types/);
    expect(() => messageMix({ maxWeight: 0 })).toThrow(/maxWeight/);
  });
});
