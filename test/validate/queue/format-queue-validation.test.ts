import { describe, expect, it } from 'vitest';
import { formatQueueValidation, type QueueValidationReport } from '../../../src/validate/queue/index.ts';

function report(failed: boolean): QueueValidationReport {
  return {
    schema_version: 1,
    ok: !failed,
    subject: 'test queue',
    started_at: '2026-01-01T00:00:00.000Z',
    wall_time_ms: 1234,
    tool_version: '0.0.0',
    node_version: 'v20',
    summary: { total: 2, passed: failed ? 1 : 2, failed: failed ? 1 : 0, pass_rate: failed ? 0.5 : 1 },
    limits: {
      capacity: 100,
      messages: 1000,
      producers: 5,
      memoryMessages: 100_000,
      maxRetainedBytesPer100k: 1,
      maxBytesPerEntry: 1,
      throughputMessages: 1,
      minThroughput: 1,
      throughputBudgetMs: 1,
    },
    checks: [
      {
        name: 'capacity',
        ok: true,
        summary: 'capacity 100: fine',
        failures: [],
        measured: {},
        wall_time_ms: 1,
      },
      {
        name: 'priority',
        ok: !failed,
        summary: '3 priority inversion(s)',
        failures: failed ? ['3 regular message(s) started while an older urgent one waited.'] : [],
        measured: {},
        wall_time_ms: 1,
      },
    ],
  };
}

describe('formatQueueValidation', () => {
  it('renders one aligned row per check and a verdict line', () => {
    const text = formatQueueValidation(report(false));
    expect(text).toContain('Queue under test: test queue');
    expect(text).toMatch(/^capacity {2}PASS {4}capacity 100: fine$/m);
    expect(text).toMatch(/^priority {2}PASS {4}3 priority inversion\(s\)$/m);
    expect(text).toContain('All 2 queue checks passed (2/2 passed, 1.2 s).');
  });

  it('lists every failure under its check', () => {
    const text = formatQueueValidation(report(true));
    expect(text).toMatch(/^priority {2}FAIL/m);
    expect(text).toContain('priority:\n  - 3 regular message(s) started while an older urgent one waited.');
    expect(text).toContain('1 of 2 queue checks failed');
  });
});
