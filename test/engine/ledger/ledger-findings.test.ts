import { describe, expect, it } from 'vitest';
import { createSimpleTarget } from '../../../fixtures/targets/simple-processor.ts';
import { runStress } from '../../../src/engine/index.ts';

// The timeline places the ledger's findings in time: when each lost unit was sent and accepted, when each stuck
// unit last moved. Checked against the invariant report, which names the same units without a time.

describe('ledger findings on the timeline', () => {
  it('places every lost unit at the time its message was sent, inside the run', async () => {
    const report = await runStress({
      target: createSimpleTarget('drops-failed'),
      agents: 3,
      messagesPerAgent: 40,
      seed: 5,
      chaos: { rates: { delivery_failure: 0.2 } },
    });
    const { lost, pending, examples } = report.invariants;
    expect(lost).toBeGreaterThan(0);
    expect(pending).toBe(0);
    const findings = report.metrics.timeline!.findings;
    expect(findings.length).toBe(Math.min(lost, 20));
    expect(findings.every((finding) => finding.kind === 'lost')).toBe(true);
    // The report's examples are the first lost units in send order, as the findings are.
    expect(findings.slice(0, examples.lost.length).map((finding) => finding.unit)).toEqual(examples.lost);
    const times = findings.map((finding) => finding.at_ms);
    expect(times).toEqual([...times].sort((a, b) => a - b));
    for (const at of times) {
      expect(at).toBeGreaterThanOrEqual(0);
      expect(at).toBeLessThanOrEqual(report.metrics.duration * 1000);
    }
  });

  it('finds nothing in a correct run, even under the same chaos', async () => {
    const report = await runStress({
      target: createSimpleTarget(),
      agents: 3,
      messagesPerAgent: 40,
      seed: 5,
      chaos: { rates: { delivery_failure: 0.2 } },
    });
    expect(report.invariants.lost).toBe(0);
    expect(report.metrics.timeline!.findings).toEqual([]);
  });

  it('names no unit while the target still holds some: which of them are lost is unknown', async () => {
    const report = await runStress({
      target: createSimpleTarget('drops-failed'),
      agents: 3,
      messagesPerAgent: 40,
      seed: 5,
      chaos: { rates: { delivery_failure: 0.2, hang: 0.3 } },
      drainTimeoutMs: 50,
    });
    expect(report.invariants.pending + report.invariants.stuck).toBeGreaterThan(0);
    expect(report.invariants.lost).toBeGreaterThan(0);
    expect(report.metrics.timeline!.findings.filter((finding) => finding.kind === 'lost')).toEqual([]);
  });
});
