import { beforeAll, describe, expect, it } from 'vitest';
import type { StressReport } from '../../src/engine/index.ts';
import { runStress } from '../../src/reference/run-stress.ts';
import '../../src/vitest/matchers.ts';

let report: StressReport;

beforeAll(async () => {
  report = await runStress({ agents: 2, messagesPerAgent: 10, thresholds: { success_rate: '>= 0.99' } });
});

const withInvariants = (changes: object): StressReport =>
  ({
    ...report,
    metrics: { ...report.metrics, invariants: { ...report.metrics.invariants, ...changes } },
  }) as StressReport;

describe('toHaveDeliveredEverything', () => {
  it('passes when every sent unit was delivered', () => {
    expect(report).toHaveDeliveredEverything();
    expect(report.metrics).toHaveDeliveredEverything();
  });

  it('prints the measured figures when units were lost', () => {
    const lossy = withInvariants({
      delivered: 18,
      lost: 2,
      examples: { ...report.invariants.examples, lost: ['run-3 -> Agent-1'] },
    });
    expect(() => expect(lossy).toHaveDeliveredEverything()).toThrow(
      'Expected every delivery unit to be delivered, got sent 20, delivered 18, dead-lettered 0, rejected 0, pending 0, stuck 0, lost 2, duplicated 0. Lost, e.g.: run-3 -> Agent-1.',
    );
    expect(lossy).not.toHaveDeliveredEverything();
  });

  it('explains what it expects when given something else', () => {
    expect(() => expect({ ok: true }).toHaveDeliveredEverything()).toThrow(/expects a StressReport/);
  });
});

describe('toMeetThresholds', () => {
  it('uses the report verdicts, or evaluates the given thresholds', () => {
    expect(report).toMeetThresholds();
    expect(report).toMeetThresholds({ 'invariants.lost': '== 0' });
    expect(report).not.toMeetThresholds({ 'latency_stats.p95_ms': '< 0.001' });
  });

  it('prints every verdict with its measured value on failure', () => {
    expect(() =>
      expect(report).toMeetThresholds({ 'latency_stats.p95_ms': '< 0.001', success_rate: '== 1' }),
    ).toThrow(
      /Expected every threshold to pass, got 1 failing:\n {2}✗ latency_stats\.p95_ms < 0\.001: measured [\d.]+ \(Measured [\d.]+, expected < 0\.001\.\)\n {2}✓ success_rate == 1: measured 1/,
    );
  });

  it('never passes vacuously', () => {
    const none = { ...report, metrics: { ...report.metrics, thresholds: [] } };
    expect(() => expect(none).toMeetThresholds()).toThrow(/Expected thresholds to check, got none/);
  });
});

describe('toHaveNoIsolationViolations', () => {
  const violation = {
    kind: 'fs-write' as const,
    target: '/p/agent_workspaces/a',
    api: 'fs.writeFileSync',
    blocked: true,
  };

  it('accepts a list, or anything with violations()', () => {
    expect([]).toHaveNoIsolationViolations();
    expect({ violations: () => [] }).toHaveNoIsolationViolations();
    expect([violation]).not.toHaveNoIsolationViolations();
  });

  it('names each violation on failure', () => {
    expect(() => expect({ violations: () => [violation] }).toHaveNoIsolationViolations()).toThrow(
      'Expected no isolation violations, got 1:\n  1. Expected no writes under protected paths during a stress run, got `fs.writeFileSync` writing `/p/agent_workspaces/a`.',
    );
    expect(() => expect(42).toHaveNoIsolationViolations()).toThrow(/expects the stress fixture/);
  });
});
