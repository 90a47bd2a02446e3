import {
  evaluateThresholds,
  type InvariantReport,
  type MetricsReport,
  type ThresholdSpec,
  type ThresholdVerdict,
} from '../engine/index.ts';
import { describeViolation, type IsolationViolationRecord } from '../isolation/isolation-violation.ts';
import { describeValue } from '../protocol/index.ts';

interface MatcherResult {
  pass: boolean;
  message: () => string;
  actual?: unknown;
  expected?: unknown;
}

/** The assertions vitest-stress adds to `expect` (Vitest's and Jest's). */
export interface StressMatchers<R = unknown> {
  /** Every sent delivery unit was delivered: none lost, dead-lettered, rejected or left pending. */
  toHaveDeliveredEverything(): R;
  /** Every threshold passed: the report's own, or `thresholds` evaluated against its metrics. */
  toMeetThresholds(thresholds?: ThresholdSpec): R;
  /** The isolation guard recorded no escape (on the `stress` fixture, a guard, or a list of violations). */
  toHaveNoIsolationViolations(): R;
}

function metricsOf(received: unknown): MetricsReport | undefined {
  if (typeof received !== 'object' || received === null) return undefined;
  const candidate = received as { metrics?: unknown; invariants?: unknown; schema_version?: unknown };
  if (typeof candidate.metrics === 'object' && candidate.metrics !== null)
    return candidate.metrics as MetricsReport;
  if (candidate.schema_version === 1 && typeof candidate.invariants === 'object')
    return received as MetricsReport;
  return undefined;
}

const notAReport = (name: string, received: unknown): MatcherResult => ({
  pass: false,
  message: () =>
    `${name} expects a StressReport (from stress.run()) or a metrics report, got ${describeValue(received)}.`,
});

function deliveryFigures(inv: InvariantReport): string {
  return (
    `sent ${inv.sent}, delivered ${inv.delivered}, dead-lettered ${inv.dead_lettered}, rejected ${inv.rejected}, ` +
    `pending ${inv.pending}, stuck ${inv.stuck}, lost ${inv.lost}, duplicated ${inv.duplicated}`
  );
}

function describeVerdict(verdict: ThresholdVerdict): string {
  const mark = verdict.ok ? '✓' : '✗';
  return `  ${mark} ${verdict.metric} ${verdict.expression}: measured ${verdict.value ?? 'no value'}${verdict.reason && !verdict.ok ? ` (${verdict.reason})` : ''}`;
}

function violationsOf(received: unknown): readonly IsolationViolationRecord[] | undefined {
  if (Array.isArray(received)) return received as IsolationViolationRecord[];
  const candidate = received as { violations?: unknown } | null;
  if (typeof candidate?.violations === 'function') {
    return (candidate.violations as () => readonly IsolationViolationRecord[])();
  }
  return undefined;
}

/** The matcher implementations, for `expect.extend(stressMatchers)` (each front end does it on import). */
export const stressMatchers = {
  toHaveDeliveredEverything(received: unknown): MatcherResult {
    const metrics = metricsOf(received);
    if (metrics === undefined) return notAReport('toHaveDeliveredEverything()', received);
    const inv = metrics.invariants;
    const pass = inv.sent > 0 && inv.delivered === inv.sent && inv.lost === 0;
    return {
      pass,
      message: () =>
        pass
          ? `Expected some delivery unit not to be delivered, but all were: ${deliveryFigures(inv)}.`
          : `Expected every delivery unit to be delivered, got ${deliveryFigures(inv)}.` +
            (inv.examples.lost.length > 0 ? ` Lost, e.g.: ${inv.examples.lost.join(', ')}.` : ''),
      actual: { sent: inv.sent, delivered: inv.delivered, lost: inv.lost, dead_lettered: inv.dead_lettered },
      expected: { sent: inv.sent, delivered: inv.sent, lost: 0, dead_lettered: 0 },
    };
  },

  toMeetThresholds(received: unknown, thresholds?: ThresholdSpec): MatcherResult {
    const metrics = metricsOf(received);
    if (metrics === undefined) return notAReport('toMeetThresholds()', received);
    const verdicts = thresholds === undefined ? metrics.thresholds : evaluateThresholds(metrics, thresholds);
    if (verdicts.length === 0) {
      return {
        pass: false,
        message: () =>
          'Expected thresholds to check, got none: configure `thresholds` in the stress settings or pass them to toMeetThresholds({ ... }).',
      };
    }
    const pass = verdicts.every((verdict) => verdict.ok);
    return {
      pass,
      message: () =>
        `${pass ? 'Expected some threshold to fail, but all passed' : `Expected every threshold to pass, got ${verdicts.filter((v) => !v.ok).length} failing`}:\n${verdicts.map(describeVerdict).join('\n')}`,
    };
  },

  toHaveNoIsolationViolations(received: unknown): MatcherResult {
    const violations = violationsOf(received);
    if (violations === undefined) {
      return {
        pass: false,
        message: () =>
          `toHaveNoIsolationViolations() expects the stress fixture, an isolation guard or an array of violations, got ${describeValue(received)}.`,
      };
    }
    const pass = violations.length === 0;
    return {
      pass,
      message: () =>
        pass
          ? 'Expected isolation violations, got none.'
          : `Expected no isolation violations, got ${violations.length}:\n${violations.map((v, i) => `  ${i + 1}. ${describeViolation(v)}`).join('\n')}`,
    };
  },
};
