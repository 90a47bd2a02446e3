import type { JsonValue } from '../../protocol/index.ts';
import { buildMetricsReport, type ReplayInfo } from '../metrics/metrics-report.ts';
import type { AssembledRun } from './assemble-run.ts';
import type { ExecutedRun } from './execute-run.ts';
import type { StressReport } from './stress-report.ts';

/**
 * Judges an executed run: the ledger's invariants (its findings placed on the timeline), the metrics and the
 * thresholds, the drain and the adapter's faults, into a report whose `failures` say why it is not ok.
 */
export function judgeRun(run: AssembledRun, executed: ExecutedRun, replay?: ReplayInfo): StressReport {
  const { clock, workload, agents, ledger, metrics, timeline, chaos, warnings, notes, adapterFaults } = run;
  const { drain, left, sender } = executed;
  const r = run.resolved;
  const o = r.options;
  const invariants = ledger.finish({ ...left, interrupted: drain === 'aborted' });
  for (const found of ledger.findingsInTime(invariants))
    timeline.finding(found.kind, found.unit, found.at_ms);
  const durationMs = clock.now();
  for (const [kind, count] of Object.entries(chaos.counts())) if (count > 0) metrics.recordChaos(kind, count);
  const finalSnapshot = metrics.snapshot({
    durationMs,
    units: { ...invariants, rejected_by_chaos: sender.rejectedByChaos },
  });
  for (const [code, count] of Object.entries(sender.rejections())) {
    if (code !== 'ERR_QUEUE_FULL') warnings.push(`${count} enqueue(s) refused with ${code}`);
  }
  const metricsReport = buildMetricsReport({
    snapshot: finalSnapshot,
    invariants,
    thresholds: r.thresholds,
    thresholdsWithoutSamples: r.thresholdsWithoutSamples,
    replay: replay ?? { seed: r.seed },
    run: {
      seed: r.seed,
      clock: r.clock,
      agents: agents.length,
      messages_per_agent: workload.options.messagesPerAgent,
      mix: workload.options.typeMix as unknown as JsonValue,
      chaos:
        r.chaosName === 'none' ? null : ({ name: r.chaosName, schedule: r.chaos } as unknown as JsonValue),
      started_at: run.startedAt,
      wall_time_ms: Math.round((run.wall.now() - run.wallStart) * 1000) / 1000,
      tool_version: o.environment?.toolVersion ?? 'unknown',
      node_version: o.environment?.nodeVersion ?? 'unknown',
      notes,
    },
  });
  const failures = [
    ...adapterFaults,
    ...invariants.violations,
    ...metricsReport.thresholds
      .filter((verdict) => !verdict.ok)
      .map(
        (v) =>
          `threshold ${v.metric} ${v.expression} failed: measured ${v.value ?? 'no value'}${v.reason ? ` (${v.reason})` : ''}`,
      ),
    ...(drain === 'drained'
      ? left.pending + left.processing > 0
        ? [
            // whenIdle() resolved, yet the target still holds work it will not deliver: stuck, not a pass.
            `drained but holding: whenIdle() resolved while inspect() reported ${left.pending} pending, ${left.processing} processing`,
          ]
        : []
      : [`final drain ${drain}: ${left.pending} pending, ${left.processing} processing`]),
  ];
  return {
    ok: failures.length === 0,
    metrics: { ...metricsReport, timeline: timeline.snapshot() },
    snapshot: finalSnapshot,
    invariants,
    thresholds: metricsReport.thresholds,
    drain: { status: drain, pending: left.pending, processing: left.processing },
    failures,
    warnings,
    notes,
  };
}
