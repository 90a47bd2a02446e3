import type { InvariantReport } from '../ledger/invariant-report.ts';
import type { MetricsReport } from '../metrics/metrics-report.ts';
import type { MetricsSnapshot } from '../metrics/metrics-snapshot.ts';
import type { ThresholdVerdict } from '../metrics/threshold.ts';

/** How the final drain ended: everything finished, the drain timed out, nothing could move, or the run was aborted. */
export type DrainStatus = 'drained' | 'timeout' | 'stalled' | 'aborted';

/** The result of one stress run: the metrics JSON and the verdicts it carries, plus the mergeable snapshot. */
export interface StressReport {
  /** True when the invariants hold, every threshold passed and the target drained. */
  readonly ok: boolean;
  /** The metrics JSON v1 (what the reporter and the CLI write to `logs/`). */
  readonly metrics: MetricsReport;
  /** Counters and encoded histograms, for {@link mergeSnapshots} across tests or machines. */
  readonly snapshot: MetricsSnapshot;
  readonly invariants: InvariantReport;
  readonly thresholds: readonly ThresholdVerdict[];
  readonly drain: {
    readonly status: DrainStatus;
    /** What the target still held when the drain ended (delivery units). */
    readonly pending: number;
    readonly processing: number;
  };
  /** Why `ok` is false, one line each (empty when ok). */
  readonly failures: readonly string[];
  /** Things the run worked around, e.g. chaos a target could not take (no `crash`). */
  readonly warnings: readonly string[];
  /** Facts the target reported about itself (`TargetEvents.note`): a broker it started, an isolation allowance. */
  readonly notes: readonly string[];
}
