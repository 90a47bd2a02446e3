/** A shard of a run, as Vitest numbers it (`--shard=index/count`, from 1). */
export interface ShardRef {
  readonly index: number;
  readonly count: number;
}

/** What a `--merge-reports` run can tell about the shards it merged. */
export interface ShardCoverage {
  /** The shard count the blobs and tests agree on; null when nothing names a shard. */
  readonly count: number | null;
  readonly seen: readonly number[];
  readonly missing: readonly number[];
  /** Shard counts that disagree (blobs from two different matrices in one directory). */
  readonly conflicting: readonly number[];
}

const DEFAULT_BLOB_NAME = /^blob-(\d+)-(\d+)\.json$/;

/**
 * Which shards a merge covers, from two witnesses: the blob reporter's default file names (`blob-<i>-<n>.json`)
 * and the shard each stress test recorded in its meta. A shard is missing when neither names it.
 */
export function shardCoverage(
  blobFileNames: readonly string[],
  testShards: readonly ShardRef[],
): ShardCoverage {
  const refs: ShardRef[] = [...testShards];
  for (const name of blobFileNames) {
    const match = DEFAULT_BLOB_NAME.exec(name);
    if (match !== null) refs.push({ index: Number(match[1]), count: Number(match[2]) });
  }
  const counts = [...new Set(refs.map((ref) => ref.count))].sort((a, b) => a - b);
  if (counts.length === 0) return { count: null, seen: [], missing: [], conflicting: [] };
  const count = counts[counts.length - 1]!;
  const seen = [...new Set(refs.filter((ref) => ref.count === count).map((ref) => ref.index))].sort(
    (a, b) => a - b,
  );
  const missing: number[] = [];
  for (let index = 1; index <= count; index++) if (!seen.includes(index)) missing.push(index);
  return { count, seen, missing, conflicting: counts.length > 1 ? counts : [] };
}

/** The verdict reasons a merge's shard coverage adds: empty when every shard of one matrix is there. */
export function shardCoverageReasons(coverage: ShardCoverage): string[] {
  const reasons: string[] = [];
  if (coverage.conflicting.length > 0) {
    reasons.push(
      `the merged blobs come from shard matrices of different sizes (${coverage.conflicting.join(', ')}): merge one run's shards only`,
    );
  }
  if (coverage.count !== null && coverage.missing.length > 0) {
    const list = coverage.missing.map((index) => `${index}/${coverage.count}`).join(', ');
    reasons.push(
      `merged ${coverage.seen.length} of ${coverage.count} shards: shard ${list} missing (no blob-<i>-<n>.json and no stress test from it), so the metrics cover part of the run`,
    );
  }
  return reasons;
}
