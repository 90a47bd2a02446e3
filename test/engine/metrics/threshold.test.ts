import { describe, expect, it } from 'vitest';
import { lookupMetric } from '../../../src/engine/metrics/metric-path.ts';
import { evaluateThresholds, parseThresholds } from '../../../src/engine/metrics/threshold.ts';
import { parseThreshold } from '../../../src/engine/metrics/threshold-expression.ts';
import { StressError } from '../../../src/protocol/index.ts';
import { buildSampleReport } from './metrics-fixture.ts';

function thresholdError(run: () => unknown): StressError {
  try {
    run();
  } catch (error) {
    if (StressError.is(error, 'ERR_INVALID_THRESHOLD')) return error;
    throw error;
  }
  throw new Error('expected ERR_INVALID_THRESHOLD');
}

describe('parseThreshold', () => {
  it.each([
    ['>= 0.99', '>=', 0.99],
    ['<50', '<', 50],
    ['  == 0 ', '==', 0],
    ['!= 1e3', '!=', 1000],
    ['> -1.5', '>', -1.5],
    ['<= .5', '<=', 0.5],
  ])('parses %j', (text, operator, value) => {
    expect(parseThreshold(text)).toEqual({ operator, value, source: text.trim() });
  });

  it.each(['avg=123', '>= ', '0.99', '=> 1', '>= 1 ms', '>= NaN', '', 'p(95)<500'])('rejects %j', (text) => {
    const error = thresholdError(() => parseThreshold(text, 'success_rate'));
    expect(error.message).toContain(
      'Expected threshold for `success_rate` to be an operator (<, <=, >, >=, ==, !=)',
    );
    expect(error.message).toContain('such as ">= 0.99"');
    expect(error.message).toContain(`got ${JSON.stringify(text)} (string)`);
  });

  it('rejects a non-string', () => {
    expect(thresholdError(() => parseThreshold(0.99)).message).toContain('got `0.99` (number)');
  });
});

describe('parseThresholds', () => {
  it('accepts one expression or an array per metric', () => {
    const parsed = parseThresholds({ success_rate: '>= 0.99', 'latency_stats.p95_ms': ['< 50', '> 0'] });
    expect(parsed.map((t) => `${t.metric} ${t.expression.source}`)).toEqual([
      'success_rate >= 0.99',
      'latency_stats.p95_ms < 50',
      'latency_stats.p95_ms > 0',
    ]);
  });

  it('rejects an empty array, a non-object and a bad entry', () => {
    expect(thresholdError(() => parseThresholds({ success_rate: [] })).message).toContain(
      'got an empty array',
    );
    expect(thresholdError(() => parseThresholds(['>= 1'] as never)).message).toContain('`thresholds`');
    expect(thresholdError(() => parseThresholds({ a: '< 1', b: 'less than 2' })).message).toContain('`b`');
  });
});

describe('evaluateThresholds', () => {
  const report = buildSampleReport();

  it('reports the measured value with each verdict', () => {
    const verdicts = evaluateThresholds(report, {
      'latency_stats.p95_ms': ['< 50', '> 100'],
      'invariants.lost': '== 0',
      total_processed: '!= 18',
    });
    expect(verdicts).toEqual([
      { metric: 'latency_stats.p95_ms', expression: '< 50', ok: true, value: 9 },
      {
        metric: 'latency_stats.p95_ms',
        expression: '> 100',
        ok: false,
        value: 9,
        reason: 'Measured 9, expected > 100.',
      },
      { metric: 'invariants.lost', expression: '== 0', ok: true, value: 0 },
      {
        metric: 'total_processed',
        expression: '!= 18',
        ok: false,
        value: 18,
        reason: 'Measured 18, expected != 18.',
      },
    ]);
  });

  it('fails an unknown metric, suggesting close paths', () => {
    const [verdict] = evaluateThresholds(report, { 'latency.p95': '< 50' });
    expect(verdict).toMatchObject({ ok: false, value: null });
    expect(verdict!.reason).toMatch(
      /^Unknown metric "latency\.p95" in the metrics report\. Did you mean "latency_stats\.p95_ms"/,
    );
  });

  it('lists valid metrics when nothing is close', () => {
    const [verdict] = evaluateThresholds(report, { zzzzzzzzzzzzzzzzzzzz: '< 1' });
    expect(verdict!.reason).toMatch(
      /Valid metrics include "total_processed", "success_count", .*"latency_stats\.\*"/,
    );
    expect(verdict!.reason).not.toMatch(/histograms|thresholds|schema_version/);
  });

  it('fails a metric without samples instead of passing it vacuously (k6 #4283)', () => {
    const empty = { ...report, success_rate: null, latency_stats: { ...report.latency_stats, p95_ms: null } };
    const verdicts = evaluateThresholds(empty, { success_rate: '>= 0', 'latency_stats.p95_ms': '< 1000000' });
    expect(verdicts.map((v) => [v.ok, v.value])).toEqual([
      [false, null],
      [false, null],
    ]);
    expect(verdicts[0]!.reason).toBe('Metric "success_rate" has no samples (null), so it cannot pass.');
  });

  it('fails a path to an object or a boolean, naming the numbers inside', () => {
    const [object, flag] = evaluateThresholds(report, { latency_stats: '< 50', 'invariants.valid': '== 1' });
    expect(object!.reason).toMatch(
      /^Metric "latency_stats" is an object, not a number\. Use one of "latency_stats\.count"/,
    );
    expect(flag!.reason).toBe('Metric "invariants.valid" is a boolean, not a number.');
  });

  it('resolves agent ids that contain dots', () => {
    const data = { latency_by_agent: { team: { a: 1 }, 'team.a': { p95_ms: 7 } } };
    expect(lookupMetric(data, 'latency_by_agent.team.a.p95_ms')).toMatchObject({ found: true, value: 7 });
    expect(lookupMetric(data, 'latency_by_agent.team.a')).toMatchObject({
      found: true,
      value: { p95_ms: 7 },
    });
    expect(lookupMetric(data, 'latency_by_agent.team.b')).toEqual({ found: false });
  });

  it('throws on a malformed expression rather than judging it', () => {
    expect(thresholdError(() => evaluateThresholds(report, { success_rate: 'avg=123' })).code).toBe(
      'ERR_INVALID_THRESHOLD',
    );
  });
});
