import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createWorkload, SeededRandom } from '../../src/engine/index.ts';
import { resolveWorkloadOptions } from '../../src/engine/workload/workload-options.ts';
import { DEFAULT_MESSAGE_MIX, workloadOptions } from '../../src/generators/index.ts';
import { StressError } from '../../src/protocol/index.ts';

describe('workloadOptions', () => {
  it('generates valid, small workloads', () => {
    fc.assert(
      fc.property(workloadOptions(), (options) => {
        const workload = createWorkload(options, new SeededRandom(1));
        expect(workload.agents.length).toBeGreaterThanOrEqual(1);
        expect(workload.agents.length).toBeLessThanOrEqual(9);
        expect(workload.plannedDeliveries).toBeLessThanOrEqual(1000);
        expect(JSON.parse(JSON.stringify(options))).toEqual(options);
      }),
      { seed: 1, numRuns: 300 },
    );
  });

  it('keeps agent-sent types out of single-agent runs', () => {
    fc.assert(
      fc.property(workloadOptions({ maxAgents: 1 }), (options) => {
        expect(options.agents).toBe(1);
        for (const type of ['text', 'agent_to_agent', 'multi_agent_request'] as const) {
          expect(options.typeMix?.[type] ?? 0).toBe(0);
        }
        createWorkload(options, new SeededRandom(2));
      }),
      { seed: 2, numRuns: 200 },
    );
  });

  it('generates only workloads the engine accepts, float rounding included (seed 7 once gave a 1.0000000000000002 share)', () => {
    // Samples rather than fc.assert: a shrunk counterexample would hide how rare the bad case is (5 in 50,000).
    const refused = fc
      .sample(workloadOptions({ maxAgents: 1 }), { seed: 7, numRuns: 50_000 })
      .flatMap((options) => {
        try {
          resolveWorkloadOptions(options);
          return [];
        } catch (error) {
          return [(error as Error).message];
        }
      });
    expect(refused).toEqual([]);
  });

  it('generates only valid workloads for every agent count and type subset (valid by construction)', () => {
    const subsets = [
      undefined,
      ['text'],
      ['text', 'broadcast'],
      ['agent_to_agent', 'multi_agent_request', 'onboarding'],
    ] as const;
    const refused: string[] = [];
    for (const types of subsets) {
      for (const maxAgents of [1, 2, 9]) {
        const arbitrary = workloadOptions({ maxAgents, ...(types === undefined ? {} : { types }) });
        for (const options of fc.sample(arbitrary, { seed: 3, numRuns: 5000 })) {
          try {
            resolveWorkloadOptions(options);
          } catch (error) {
            refused.push(`${JSON.stringify(options.typeMix)}: ${(error as Error).message}`);
          }
        }
      }
    }
    expect(refused.slice(0, 5)).toEqual([]);
  });

  it('honours its bounds', () => {
    fc.assert(
      fc.property(
        workloadOptions({ minAgents: 3, maxAgents: 5, maxDeliveries: 60, priorities: false, arrival: false }),
        (options) => {
          const agents = options.agents as number;
          expect(agents).toBeGreaterThanOrEqual(3);
          expect(agents).toBeLessThanOrEqual(5);
          expect(agents * (options.messagesPerAgent as number)).toBeLessThanOrEqual(60);
          expect(options.priorityMix).toBeUndefined();
          expect(options.arrival).toBeUndefined();
        },
      ),
      { seed: 3, numRuns: 200 },
    );
  });

  it('generates burst and Poisson arrivals and urgent shares other than the default', () => {
    const samples = fc.sample(workloadOptions(), { seed: 4, numRuns: 200 });
    const arrivals = samples.map((options) => options.arrival);
    expect(arrivals.some((a) => a?.kind === 'burst')).toBe(true);
    expect(arrivals.some((a) => a?.kind === 'open' && a.process === 'poisson')).toBe(true);
    expect(samples.some((options) => options.priorityMix?.urgent !== 0.1)).toBe(true);
  });

  it('shrinks to one agent, one delivery and the defaults', () => {
    const details = fc.check(
      fc.property(workloadOptions(), () => false),
      { seed: 5 },
    );
    expect(details.counterexample?.[0]).toEqual({
      agents: 1,
      messagesPerAgent: 1,
      typeMix: DEFAULT_MESSAGE_MIX,
      priorityMix: { regular: 0.9, urgent: 0.1 },
      arrival: { kind: 'open', ratePerAgent: 25, process: 'constant' },
    });
  });

  it('shrinks a size-dependent failure to the smallest size that fails', () => {
    const details = fc.check(
      fc.property(
        workloadOptions(),
        (options) => (options.agents as number) * (options.messagesPerAgent as number) < 40,
      ),
      { seed: 6 },
    );
    const options = details.counterexample?.[0];
    expect((options?.agents as number) * (options?.messagesPerAgent as number)).toBeGreaterThanOrEqual(40);
    expect(options?.agents).toBe(1);
    expect(options?.messagesPerAgent).toBe(40);
  });

  it('rejects bad constraints', () => {
    expect(() => workloadOptions({ minAgents: 0 })).toThrow(StressError);
    expect(() => workloadOptions({ minAgents: 5, maxAgents: 2 })).toThrow(/maxAgents/);
    expect(() => workloadOptions({ maxAgents: 10, maxDeliveries: 5 })).toThrow(/maxDeliveries/);
    expect(() => workloadOptions({ arrival: { maxRatePerAgent: 0 } })).toThrow(/maxRatePerAgent/);
  });
});
