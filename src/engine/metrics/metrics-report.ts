import type { JsonValue } from '../../protocol/index.ts';
import type { InvariantReport } from '../ledger/invariant-report.ts';
import type { EncodedHistogram } from './latency-histogram.ts';
import type { LatencyStats } from './latency-stats.ts';
import type { AttemptCounts, MetricsSnapshot } from './metrics-snapshot.ts';
import type { RunTimeline } from './run-timeline.ts';
import { summarizeSnapshot } from './summarize-snapshot.ts';
import {
  DEFAULT_THRESHOLDS,
  evaluateThresholds,
  type ThresholdSpec,
  type ThresholdsWithoutSamples,
  type ThresholdVerdict,
} from './threshold.ts';

/** The version of {@link MetricsReport} and of `docs/metrics.schema.json`. */
export const METRICS_REPORT_VERSION = 1;

/**
 * Report fields that differ between two runs with the same seed: wall-clock time and the environment.
 * Everything else is a function of the seed and the configuration.
 */
export const NONDETERMINISTIC_REPORT_FIELDS = [
  'run.started_at',
  'run.wall_time_ms',
  'run.tool_version',
  'run.node_version',
] as const;

/** How the run was configured and where it ran; passed in by the caller (the engine reads no process state). */
export interface RunInfo {
  readonly seed: number;
  readonly clock: 'virtual' | 'real';
  readonly agents: number;
  readonly messages_per_agent: number;
  /** The message mix of the workload, as configured. */
  readonly mix: JsonValue;
  /** The chaos configuration, or `null` without chaos. */
  readonly chaos: JsonValue;
  /** Wall-clock start, ISO 8601. */
  readonly started_at: string;
  /** Wall-clock duration in milliseconds. */
  readonly wall_time_ms: number;
  readonly tool_version: string;
  readonly node_version: string;
  /**
   * What the target said about its setup (a real broker's address, persistence and the isolation allowance it
   * holds); present only when it said something (only real-broker targets do, and they run on the real clock).
   */
  readonly notes?: readonly string[];
}

/** How to replay a run: its seed, the fast-check path of a shrunk failure, and a ready command. */
export interface ReplayInfo {
  readonly seed: number;
  readonly path?: string;
  readonly command?: string;
}

/** Latency figures of a run, as the seed report named them and extended. */
export interface MetricsSummary {
  /** Delivery units that reached a final state: delivered, dead-lettered or lost. */
  readonly total_processed: number;
  readonly success_count: number;
  /** Units dead-lettered or lost. */
  readonly failure_count: number;
  /** `success_count / total_processed`, 0..1; `null` when nothing was processed. */
  readonly success_rate: number | null;
  /** Units the target refused at enqueue (never accepted, so neither processed nor lost). */
  readonly rejected: number;
  /** Of `rejected`, the units the injected chaos caused (refused while crashed, or by an injected store fault). */
  readonly rejected_by_chaos: number;
  /**
   * `(rejected - rejected_by_chaos) / sent`, 0..1: the share of the workload a running target refused on its own
   * (backpressure, a closed queue); `null` when nothing was sent. Fails the run above 0.05 by default.
   */
  readonly rejected_rate: number | null;
  /** Simulated duration in seconds. */
  readonly duration: number;
  /** Delivered units per simulated second; `null` for a zero duration. */
  readonly throughput: number | null;
  /** Units delivered by message type, UPPER_CASE keys (`SYSTEM_TO_AGENT`). */
  readonly by_message_type: Readonly<Record<string, number>>;
  /** Units delivered by recipient agent. */
  readonly by_agent: Readonly<Record<string, number>>;
  readonly latency_stats: LatencyStats;
  readonly latency_by_agent: Readonly<Record<string, LatencyStats>>;
  readonly latency_by_type: Readonly<Record<string, LatencyStats>>;
  /** Duration of each call to the core. */
  readonly service_time_stats: LatencyStats;
  readonly attempts: AttemptCounts & { readonly total: number };
  readonly duplicate_deliveries: number;
  readonly retries: number;
  /** Units given up on and never delivered. */
  readonly dead_lettered: number;
  readonly chaos: Readonly<Record<string, number>>;
  /** Max and time-weighted mean of the sampled queue depth; `null` without samples. */
  readonly queue_depth: {
    readonly max: number | null;
    readonly mean: number | null;
    readonly samples: number;
  };
}

/** The metrics JSON v1 written per run: the seed report's fields plus invariants, thresholds and replay. */
export interface MetricsReport extends MetricsSummary {
  readonly schema_version: typeof METRICS_REPORT_VERSION;
  readonly run: RunInfo;
  readonly invariants: InvariantReport;
  readonly thresholds: readonly ThresholdVerdict[];
  readonly replay: ReplayInfo | null;
  /** The snapshot's encoded histograms (type keys in protocol lower case), for merging across runs. */
  readonly histograms: {
    readonly latency: EncodedHistogram;
    readonly service_time: EncodedHistogram;
    readonly latency_by_agent: Readonly<Record<string, EncodedHistogram>>;
    readonly latency_by_type: Readonly<Record<string, EncodedHistogram>>;
  } /** The run as intervals of its clock, with chaos events and findings placed in time (absent in older files). */;
  readonly timeline?: RunTimeline;
}

/** What {@link buildMetricsReport} combines. */
export interface MetricsReportInput {
  readonly snapshot: MetricsSnapshot;
  readonly invariants: InvariantReport;
  readonly run: RunInfo;
  readonly replay?: ReplayInfo | null;
  /** Evaluated against the report itself; the verdicts land in `thresholds`. @default {} */
  readonly thresholds?: ThresholdSpec;
  /** @default 'fail' */
  readonly thresholdsWithoutSamples?: ThresholdsWithoutSamples;
}

/** Why a `rejected_rate` threshold failed, in units, with how to relax the default limit. */
function refusalReason(rejected: number, sent: number, expression: string): string {
  const relax =
    expression === DEFAULT_THRESHOLDS.rejected_rate
      ? "; this is the default limit: a test meant to overload the target relaxes it with thresholds: { rejected_rate: '<= 1' }"
      : '';
  return `${rejected} of ${sent} units refused at enqueue by a running target${relax}`;
}

/** Builds the metrics JSON v1 from a snapshot, the ledger's report and run facts; JSON-plain throughout. */
export function buildMetricsReport(input: MetricsReportInput): MetricsReport {
  const { snapshot, invariants, run } = input;
  const replay =
    input.replay == null
      ? null
      : {
          seed: input.replay.seed,
          ...(input.replay.path === undefined ? {} : { path: input.replay.path }),
          ...(input.replay.command === undefined ? {} : { command: input.replay.command }),
        };
  const report: MetricsReport = {
    schema_version: METRICS_REPORT_VERSION,
    ...summarizeSnapshot(snapshot),
    run: {
      seed: run.seed,
      clock: run.clock,
      agents: run.agents,
      messages_per_agent: run.messages_per_agent,
      mix: run.mix,
      chaos: run.chaos,
      started_at: run.started_at,
      wall_time_ms: run.wall_time_ms,
      tool_version: run.tool_version,
      node_version: run.node_version,
      ...(run.notes !== undefined && run.notes.length > 0 ? { notes: [...run.notes] } : {}),
    },
    invariants,
    thresholds: [],
    replay,
    histograms: {
      latency: snapshot.latency,
      service_time: snapshot.service_time,
      latency_by_agent: snapshot.latency_by_agent,
      latency_by_type: snapshot.latency_by_type,
    },
  };
  const verdicts = evaluateThresholds(report, input.thresholds ?? {}, input.thresholdsWithoutSamples).map(
    (verdict) =>
      verdict.ok || verdict.metric !== 'rejected_rate' || verdict.value === null
        ? verdict
        : {
            ...verdict,
            reason: refusalReason(
              report.rejected - report.rejected_by_chaos,
              invariants.sent,
              verdict.expression,
            ),
          },
  );
  return { ...report, thresholds: verdicts };
}
