import { describe, expect, it } from 'vitest';
import {
  resolveWorkloadOptions,
  type WorkloadOptions,
} from '../../../src/engine/workload/workload-options.ts';
import { StressError } from '../../../src/protocol/index.ts';

describe('resolveWorkloadOptions', () => {
  it('applies the documented defaults', () => {
    const resolved = resolveWorkloadOptions();
    expect(resolved.agents).toHaveLength(9);
    expect(resolved.agents[8]).toBe('Agent-9');
    expect(resolved.messagesPerAgent).toBe(100);
    expect(resolved.typeMix).toMatchObject({
      system_to_agent: 0.5,
      broadcast: 0.25,
      onboarding: 0.25,
      text: 0,
    });
    expect(resolved.priorityMix).toEqual({ regular: 0.9, urgent: 0.1 });
    expect(resolved.tagMix).toEqual({ coordination: 0.05, wrapup: 0.05 });
    expect(resolved.content).toEqual({ minBytes: 16, maxBytes: 256 });
    expect(resolved.arrival).toEqual({ kind: 'open', ratePerAgent: 25, process: 'constant' });
    expect(resolved.runId).toBe('run');
  });

  it('accepts explicit agent ids', () => {
    expect(resolveWorkloadOptions({ agents: ['alpha', 'beta.2'] }).agents).toEqual(['alpha', 'beta.2']);
  });

  it.each<[string, WorkloadOptions, RegExp]>([
    ['agents', { agents: 0 }, /`agents` to be an integer from 1 to 10000/],
    ['agents', { agents: [] }, /non-empty array/],
    ['agents[1]', { agents: ['a', '../b'] }, /safe agent id/],
    ['agents[0]', { agents: ['ALL'] }, /other than ALL, SYSTEM, Captain, Human/],
    ['agents[1]', { agents: ['a', 'a'] }, /not already listed/],
    ['messagesPerAgent', { messagesPerAgent: 0.5 }, /integer from 1/],
    ['agents x messagesPerAgent', { agents: 10_000, messagesPerAgent: 1_000_000 }, /at most 1000000000/],
    ['typeMix', { typeMix: { broadcast: 0.5 } }, /summing to 1/],
    ['typeMix.direct', { typeMix: { direct: 1 } as never }, /absent/],
    ['typeMix.agent_to_agent', { agents: 1, typeMix: { agent_to_agent: 1 } }, /0 with a single agent/],
    ['priorityMix.high', { priorityMix: { high: 1 } as never }, /absent/],
    ['tagMix.urgent', { tagMix: { urgent: 0.1 } as never }, /known tags/],
    ['tagMix.wrapup', { tagMix: { wrapup: 2 } }, /probability/],
    ['content.maxBytes', { content: { minBytes: 10, maxBytes: 5 } }, /integer from 10/],
    ['content.minBytes', { content: { minBytes: 0, maxBytes: 5 } }, /integer from 1/],
    ['arrival.kind', { arrival: { kind: 'closed' } as never }, /"open" or "burst"/],
    ['runId', { runId: 'has space' }, /1-64 letters/],
  ])('rejects %s', (path, options, message) => {
    try {
      resolveWorkloadOptions(options);
      expect.unreachable('should have thrown');
    } catch (error) {
      expect(StressError.is(error, 'ERR_INVALID_OPTION')).toBe(true);
      expect((error as StressError).details.path).toBe(path);
      expect((error as Error).message).toMatch(message);
    }
  });
});
