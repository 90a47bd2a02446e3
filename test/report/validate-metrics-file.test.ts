// biome-ignore-all lint/suspicious/noExplicitAny: these tests patch arbitrary fields of a parsed report.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { MetricsReport } from '../../src/engine/metrics/metrics-report.ts';
import { StressError } from '../../src/protocol/index.ts';
import { readMetricsFile, validateMetricsReport } from '../../src/report/validate-metrics-file.ts';
import { buildSampleReport } from '../engine/metrics/metrics-fixture.ts';

const report = buildSampleReport({ success_rate: '>= 0.99', 'latency.p95': '< 1' });
const dir = mkdtempSync(join(tmpdir(), 'vitest-stress-metrics-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function writeFixture(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

async function fileError(path: string): Promise<StressError> {
  try {
    await readMetricsFile(path);
  } catch (error) {
    if (StressError.is(error, 'ERR_INVALID_METRICS_FILE')) return error;
    throw error;
  }
  throw new Error('expected ERR_INVALID_METRICS_FILE');
}

const broken = (patch: (copy: Record<string, any>) => void): unknown => {
  const copy = JSON.parse(JSON.stringify(report));
  patch(copy);
  return copy;
};

describe('validateMetricsReport', () => {
  it('accepts a real report, with null figures too', () => {
    expect(validateMetricsReport(report)).toEqual({ valid: true, errors: [] });
    const empty = broken((r) => {
      r.success_rate = null;
      r.throughput = null;
      r.latency_stats.p95_ms = null;
      r.replay = null;
      r.queue_depth = { max: null, mean: null, samples: 0 };
    });
    expect(validateMetricsReport(empty)).toEqual({ valid: true, errors: [] });
  });

  it.each([
    ['a missing field', (r: any) => delete r.success_count, '(root): missing field "success_count"'],
    ['an unknown field', (r: any) => (r.sucess_rate = 1), '(root): unknown field "sucess_rate"'],
    ['a rate above 1', (r: any) => (r.success_rate = 1.5), 'success_rate: must be <= 1'],
    [
      'a wrong type',
      (r: any) => (r.latency_stats.p95_ms = '4ms'),
      'latency_stats.p95_ms: must be number,null',
    ],
    ['another version', (r: any) => (r.schema_version = 2), 'schema_version: must be 1'],
    ['a bad clock', (r: any) => (r.run.clock = 'wall'), 'run.clock: must be one of ["virtual","real"]'],
    [
      'a bad date',
      (r: any) => (r.run.started_at = 'yesterday'),
      'run.started_at: must match format "date-time"',
    ],
    [
      'a lower-case type key',
      (r: any) => (r.by_message_type.broadcast = 1),
      'by_message_type: must match pattern',
    ],
    ['a negative count', (r: any) => (r.invariants.lost = -1), 'invariants.lost: must be >= 0'],
    ['a bad replay', (r: any) => (r.replay = { path: '1:2' }), 'replay: missing field "seed"'],
  ])('rejects %s with a readable error', (_, patch, expected) => {
    const { valid, errors } = validateMetricsReport(broken(patch as (r: any) => void));
    expect(valid).toBe(false);
    expect(errors.join('\n')).toContain(expected);
  });

  it('rejects something that is not a report at all', () => {
    expect(validateMetricsReport([]).errors).toEqual(['(root): must be object']);
    expect(validateMetricsReport({}).errors.length).toBeGreaterThan(5);
  });
});

describe('readMetricsFile', () => {
  it('returns a valid report', async () => {
    const path = writeFixture('ok.json', JSON.stringify(report, null, 2));
    const read: MetricsReport = await readMetricsFile(path);
    expect(read).toEqual(report);
  });

  it('names a missing file', async () => {
    const path = join(dir, 'nope.json');
    const error = await fileError(path);
    expect(error.message).toBe(`[vitest-stress] Metrics file ${path} does not exist.`);
    expect(error.details).toEqual({ path });
  });

  it('gives the line and column of bad JSON', async () => {
    const path = writeFixture('bad.json', '{\n  "total_processed": 1,\n  "success_count": ,\n}');
    const error = await fileError(path);
    expect(error.message).toMatch(
      new RegExp(`Metrics file ${path} is not valid JSON at line 3, column 20: `),
    );
  });

  it('lists the schema errors', async () => {
    const path = writeFixture('schema.json', JSON.stringify(broken((r) => delete r.invariants)));
    const error = await fileError(path);
    expect(error.message).toContain(`Metrics file ${path} does not match the metrics schema v1`);
    expect(error.message).toContain('  - (root): missing field "invariants"');
  });
});
