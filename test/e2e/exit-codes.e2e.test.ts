import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readRunFile, runFixtureProject } from './run-fixture-project.ts';

describe('exit codes', () => {
  it('fails the run on a threshold failure although every test passed, and says why', async () => {
    const run = await runFixtureProject('threshold-failure');
    expect(run.exitCode, run.output).toBe(1);
    expect(run.output).toMatch(/Tests\s+1 passed \(1\)/);
    expect(run.output).toContain('Why the run failed:');
    expect(run.output).toContain('threshold `latency_stats.p95_ms < 1` failed in "delivers everything');
    const file = readRunFile(run);
    expect(file.verdict).toMatchObject({ ok: false, passed: 1, failed: 0, threshold_failures: 1 });
    const summary = readFileSync(run.summaryFiles[0]!, 'utf8');
    expect(summary.startsWith('## ❌ vitest-stress: failed')).toBe(true);
    expect(summary).toContain('**Failing thresholds**');
  });
});
