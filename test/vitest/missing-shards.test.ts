import { describe, expect, it } from 'vitest';
import { shardCoverage, shardCoverageReasons } from '../../src/vitest/missing-shards.ts';

describe('shard coverage of a --merge-reports run', () => {
  it('is complete when blob names and tests cover every shard', () => {
    const coverage = shardCoverage(['blob-1-3.json', 'blob-3-3.json'], [{ index: 2, count: 3 }]);
    expect(coverage).toEqual({ count: 3, seen: [1, 2, 3], missing: [], conflicting: [] });
    expect(shardCoverageReasons(coverage)).toEqual([]);
  });

  it('names the shards neither a blob nor a test came from', () => {
    const coverage = shardCoverage(['blob-1-6.json', 'blob-2-6.json', 'notes.txt'], [{ index: 5, count: 6 }]);
    expect(coverage.missing).toEqual([3, 4, 6]);
    expect(shardCoverageReasons(coverage)).toEqual([
      expect.stringContaining('merged 3 of 6 shards: shard 3/6, 4/6, 6/6 missing'),
    ]);
  });

  it('says nothing when nothing names a shard (custom blob names, no stress tests)', () => {
    expect(shardCoverageReasons(shardCoverage(['mine.json'], []))).toEqual([]);
  });

  it('refuses blobs from two matrices', () => {
    const reasons = shardCoverageReasons(
      shardCoverage(['blob-1-2.json', 'blob-2-2.json', 'blob-1-3.json'], []),
    );
    expect(reasons[0]).toContain('different sizes (2, 3)');
    expect(reasons[1]).toContain('merged 1 of 3 shards');
  });
});
