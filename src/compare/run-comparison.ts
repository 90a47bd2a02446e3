import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { MetricsReport, StressReport, StressRunner } from '../engine/index.ts';
import { InboxMessagingCore, REAL_CORE_FILE } from '../inbox/inbox-messaging-core.ts';
import { allowIsolationTarget, ISOLATION_TEMP_DIRECTORY } from '../isolation/index.ts';
import { invalidOption } from '../protocol/index.ts';
import { createStressRunner, type NodeStressOptions } from '../reference/run-stress.ts';
import { checkInbox, type InboxCheck } from './check-inbox.ts';
import { type DeliveredUnit, timedCoreFactory } from './timed-core.ts';

/** Options of {@link runComparison}. */
export interface ComparisonOptions {
  /** The run both sides share: target, workload, seed, clock, thresholds (no chaos). */
  readonly stress: NodeStressOptions;
  /** Where the fresh temporary workspace of the real side is created. @default ISOLATION_TEMP_DIRECTORY */
  readonly tempParent?: string;
  /** Called with each side's runner before it runs, e.g. to show progress. */
  readonly onRunner?: (runner: StressRunner, side: 'mock' | 'real') => void;
}

/** Real ÷ mock for the figures the comparison shows; `null` when the mock figure is 0 or missing. */
export interface ComparisonRatios {
  readonly throughput: number | null;
  readonly success_rate: number | null;
  readonly latency_avg: number | null;
  readonly latency_p50: number | null;
  readonly latency_p95: number | null;
  readonly latency_p99: number | null;
}

/** Both runs of a comparison and the checks made on the real side. */
export interface ComparisonResult {
  readonly ok: boolean;
  readonly mock: StressReport;
  readonly real: StressReport;
  readonly ratios: ComparisonRatios;
  readonly inbox: InboxCheck;
  /** The temporary workspace the real core wrote to, and whether it is gone now. */
  readonly workspace: { readonly path: string; readonly removed: boolean };
  /** Why `ok` is false, one line each. */
  readonly failures: readonly string[];
}

/** What comparison mode writes: both metrics reports in one JSON file; JSON-plain. */
export interface ComparisonFile {
  readonly schema_version: 1;
  readonly kind: 'comparison';
  readonly ok: boolean;
  readonly ratios: ComparisonRatios;
  readonly inbox: InboxCheck;
  readonly workspace: { readonly path: string; readonly removed: boolean };
  readonly failures: readonly string[];
  readonly mock: MetricsReport;
  readonly real: MetricsReport;
}

const ratio = (real: number | null, mock: number | null): number | null =>
  real === null || mock === null || mock === 0 ? null : real / mock;

function ratios(mock: MetricsReport, real: MetricsReport): ComparisonRatios {
  return {
    throughput: ratio(real.throughput, mock.throughput),
    success_rate: ratio(real.success_rate, mock.success_rate),
    latency_avg: ratio(real.latency_stats.avg_ms, mock.latency_stats.avg_ms),
    latency_p50: ratio(real.latency_stats.p50_ms, mock.latency_stats.p50_ms),
    latency_p95: ratio(real.latency_stats.p95_ms, mock.latency_stats.p95_ms),
    latency_p99: ratio(real.latency_stats.p99_ms, mock.latency_stats.p99_ms),
  };
}

/**
 * Comparison mode: runs the same workload and seed once against the mock core and once against the real
 * `InboxMessagingCore`, rooted in a fresh temporary workspace (never the project's) that is deleted
 * afterwards; then checks that the inbox held exactly the messages the real core delivered.
 * @example
 * const result = await runComparison({ stress: { agents: 9, messagesPerAgent: 100, seed: 42 } });
 * console.log(result.ratios.throughput, result.inbox.ok, result.workspace.removed);
 */
export async function runComparison(options: ComparisonOptions): Promise<ComparisonResult> {
  const chaos = options.stress.chaos ?? 'none';
  if (chaos !== 'none') {
    throw invalidOption(
      'chaos',
      '"none" in comparison mode (the real core cannot take injected faults; compare like with like)',
      chaos,
    );
  }
  const mockRunner = createStressRunner(options.stress);
  options.onRunner?.(mockRunner, 'mock');
  const mock = await mockRunner.run();
  const parent = options.tempParent ?? ISOLATION_TEMP_DIRECTORY;
  await mkdir(parent, { recursive: true });
  const workspace = await mkdtemp(join(parent, 'compare-'));
  const delivered: DeliveredUnit[] = [];
  let real: StressReport;
  let inbox: InboxCheck;
  // The one place a guarded process may build the real core: rooted in this temporary workspace, and reported.
  const withdraw = allowIsolationTarget({
    kind: 'module',
    target: REAL_CORE_FILE,
    reason: `comparison mode: the real InboxMessagingCore in the temporary workspace ${workspace}`,
  });
  try {
    const core = new InboxMessagingCore({ workspaceRoot: workspace });
    const realRunner = createStressRunner({
      ...options.stress,
      messagingCore: timedCoreFactory(core, delivered),
    });
    options.onRunner?.(realRunner, 'real');
    real = await realRunner.run();
    inbox = await checkInbox(workspace, delivered);
  } finally {
    withdraw();
    await rm(workspace, { recursive: true, force: true });
  }
  const removed = !existsSync(workspace);
  const failures = [
    ...mock.failures.map((failure) => `mock: ${failure}`),
    ...real.failures.map((failure) => `real: ${failure}`),
  ];
  if (!inbox.ok) {
    failures.push(
      `The real inbox does not hold exactly the delivered messages: ${inbox.missing_count} missing, ` +
        `${inbox.unexpected_count} unexpected (${[...inbox.missing, ...inbox.unexpected].slice(0, 3).join('; ')}).`,
    );
  }
  if (!removed) failures.push(`The temporary workspace ${workspace} could not be removed.`);
  return {
    ok: failures.length === 0,
    mock,
    real,
    ratios: ratios(mock.metrics, real.metrics),
    inbox,
    workspace: { path: workspace, removed },
    failures,
  };
}

/** The JSON written for a comparison: both metrics reports, the ratios and the checks. */
export function comparisonFile(result: ComparisonResult): ComparisonFile {
  return {
    schema_version: 1,
    kind: 'comparison',
    ok: result.ok,
    ratios: result.ratios,
    inbox: result.inbox,
    workspace: result.workspace,
    failures: result.failures,
    mock: result.mock.metrics,
    real: result.real.metrics,
  };
}
