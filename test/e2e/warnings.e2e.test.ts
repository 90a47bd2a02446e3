import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readRunFile, runFixtureProject } from './run-fixture-project.ts';

describe('engine warnings in a Vitest run', () => {
  it('reach the terminal summary, the Markdown summary and the metrics file', async () => {
    const run = await runFixtureProject('warnings');
    expect(run.exitCode, run.output).toBe(0);
    const warning = 'chaos crash_restart at 5 ms skipped: the target has no crash()/restart()';
    expect(run.output).toContain('Warnings:');
    expect(run.output).toContain(warning);
    const [test] = readRunFile(run).tests;
    expect(test?.warnings).toEqual([warning]);
    expect(readFileSync(run.summaryFiles[0]!, 'utf8')).toContain(`- ⚠️ ${warning}`);
  });
});
