import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../support/temp-dir.ts';
import { readRunFile, runFixtureProject } from './run-fixture-project.ts';

describe('sharding with the blob reporter and --merge-reports', () => {
  it('writes no file per shard, and one merged file equal to the unsharded run', async () => {
    const unsharded = readRunFile(await runFixtureProject('basic'));
    const blobs = tempDir('vitest-stress-blobs-');
    for (const index of [1, 2]) {
      const shard = await runFixtureProject('basic', {
        config: {
          shard: `${index}/2`,
          reporters: ['blob'],
          outputFile: { blob: join(blobs, `blob-${index}-2.json`) },
        },
      });
      expect(shard.exitCode, shard.output).toBe(0);
      expect(shard.metricsFiles).toEqual([]);
      expect(shard.output).toContain(`vitest-stress: shard ${index}/2 collected 2 stress test(s)`);
    }
    const merged = await runFixtureProject('basic', { config: { mergeReports: blobs } });
    expect(merged.exitCode, merged.output).toBe(0);
    const file = readRunFile(merged);
    expect(file.tests.map((test) => test.name)).toEqual(unsharded.tests.map((test) => test.name));
    expect(file.snapshot).toEqual(unsharded.snapshot);
    expect(file.totals).toEqual(unsharded.totals);
    expect(file.tests.map((test) => test.snapshot)).toEqual(unsharded.tests.map((test) => test.snapshot));
    expect(file.verdict).toEqual(unsharded.verdict);

    // The same merge without shard 2's blob knows it is incomplete: it fails and says which shard is missing.
    rmSync(join(blobs, 'blob-2-2.json'));
    const partial = await runFixtureProject('basic', { config: { mergeReports: blobs } });
    expect(partial.exitCode, partial.output).toBe(1);
    const partialFile = readRunFile(partial);
    expect(partialFile.verdict.ok).toBe(false);
    expect(partialFile.verdict.reasons).toContainEqual(
      expect.stringContaining('merged 1 of 2 shards: shard 2/2 missing'),
    );
  });
});
