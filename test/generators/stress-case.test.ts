import { describe, expect, it } from 'vitest';
import { describeStressCase, describeWorkload } from '../../src/generators/index.ts';

describe('describeWorkload', () => {
  it('summarises the default workload', () => {
    expect(describeWorkload({})).toBe(
      '9 agents x 100 deliveries (900 deliveries, 700 messages); mix broadcast 25%, onboarding 25%, ' +
        'system_to_agent 50%; urgent 10%; arrival open 25/s per agent (constant)',
    );
  });

  it('summarises a single agent, bursts and a custom urgent share', () => {
    expect(
      describeWorkload({
        agents: 1,
        messagesPerAgent: 3,
        typeMix: { system_to_agent: 1 },
        priorityMix: { regular: 0.25, urgent: 0.75 },
        arrival: { kind: 'burst', size: 2, gapMs: 10 },
      }),
    ).toBe(
      '1 agent x 3 deliveries (3 deliveries, 3 messages); mix system_to_agent 100%; urgent 75%; ' +
        'arrival burst of 2 every 10 ms',
    );
    expect(describeWorkload({ agents: 2, arrival: { kind: 'burst' } })).toMatch(
      /arrival burst \(all at once\)$/,
    );
  });

  it('throws on invalid options', () => {
    expect(() => describeWorkload({ agents: 0 })).toThrow(/agents/);
  });
});

describe('describeStressCase', () => {
  it('prints the seed, the workload and the chaos on three lines', () => {
    const text = describeStressCase({
      seed: 42,
      workload: { agents: 2, messagesPerAgent: 5, typeMix: { system_to_agent: 1 } },
      chaos: {
        rates: { delivery_failure: 0.01 },
        events: [{ atMs: 5, kind: 'crash_restart', durationMs: 10 }],
      },
    });
    expect(text.split('\n')).toEqual([
      'seed: 42',
      expect.stringMatching(/^workload: 2 agents x 5 deliveries/),
      'chaos: rates: delivery_failure 1%; events: crash_restart at 5 ms for 10 ms',
    ]);
    expect(describeStressCase({ seed: 1, workload: {}, chaos: {} })).toMatch(/chaos: no chaos$/);
  });
});
