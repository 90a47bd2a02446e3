import {
  type Clock,
  describeValue,
  type JsonValue,
  type MessagingCore,
  StressError,
} from '../protocol/index.ts';
import { ChaosInjector } from './chaos-injector.ts';
import type { ChaosEvent } from './chaos-schedule.ts';
import { DeliveryLedger } from './delivery-ledger.ts';
import type { DeliveryEvent, DeliverySink } from './delivery-sink.ts';
import { driveRun, finishesWithin, type RunLimits } from './drive-run.ts';
import { MetricsCollector } from './metrics-collector.ts';
import { buildMetricsReport, type ReplayInfo } from './metrics-report.ts';
import { MockMessagingCore } from './mock-messaging-core.ts';
import { RealClock } from './real-clock.ts';
import { scheduleRunEvents } from './run-events.ts';
import { SeededRandom } from './seeded-random.ts';
import { type ResolvedStressOptions, resolveStressOptions, type StressOptions } from './stress-options.ts';
import type { StressReport } from './stress-report.ts';
import type { StressTarget } from './stress-target.ts';
import { TimelineRecorder } from './timeline-recorder.ts';
import { VirtualClock } from './virtual-clock.ts';
import { createWorkload } from './workload.ts';
import { WorkloadSender } from './workload-sender.ts';

/** Progress of a run, dispatched as `progress` events about a hundred times per run. */
export interface StressProgress {
  readonly sent: number;
  readonly total: number;
  /** Clock time of the run (virtual or wall ms). */
  readonly now: number;
  readonly phase: 'sending' | 'draining' | 'done';
}

/** The event a {@link StressRunner} dispatches; `detail` carries the progress. */
export class StressProgressEvent extends Event {
  readonly detail: StressProgress;
  /** Builds a `progress` event. */
  constructor(detail: StressProgress) {
    super('progress');
    this.detail = detail;
  }
}

/** The events a {@link StressRunner} dispatches, by type: listeners get the event's own class, no cast. */
export interface StressRunnerEventMap {
  readonly progress: StressProgressEvent;
}

// EventTarget's own parameter types, as the Node typings declare them (no DOM lib here).
type AnyListener = Parameters<EventTarget['addEventListener']>[1];
type AddOptions = Parameters<EventTarget['addEventListener']>[2];
type RemoveOptions = Parameters<EventTarget['removeEventListener']>[2];

/** A listener of one of the runner's events. */
export type StressRunnerListener<K extends keyof StressRunnerEventMap> = (
  event: StressRunnerEventMap[K],
) => void;

/**
 * Runs one stress test: a seeded workload through the target, with the mock core, chaos, ledger and metrics
 * wired in, then a bounded final drain. Listen to `progress` events before calling {@link StressRunner.run}.
 */
export class StressRunner extends EventTarget {
  readonly resolved: ResolvedStressOptions;

  /** Listens to `progress` (typed: `event.detail` is a {@link StressProgress}). */
  override addEventListener<K extends keyof StressRunnerEventMap>(
    type: K,
    listener: StressRunnerListener<K>,
    options?: AddOptions,
  ): void;
  override addEventListener(type: string, listener: AnyListener, options?: AddOptions): void;
  override addEventListener(type: string, listener: AnyListener, options?: AddOptions): void {
    super.addEventListener(type, listener, options);
  }

  /** Stops a listener added with {@link StressRunner.addEventListener}. */
  override removeEventListener<K extends keyof StressRunnerEventMap>(
    type: K,
    listener: StressRunnerListener<K>,
    options?: RemoveOptions,
  ): void;
  override removeEventListener(type: string, listener: AnyListener, options?: RemoveOptions): void;
  override removeEventListener(type: string, listener: AnyListener, options?: RemoveOptions): void {
    super.removeEventListener(type, listener, options);
  }

  /** Validates the options; throws a coded `StressError` on bad input. */
  constructor(options: StressOptions) {
    super();
    this.resolved = resolveStressOptions(options);
  }

  /** Runs the test and returns its report; a failed invariant or threshold is in the report, not thrown. */
  async run(replay?: ReplayInfo): Promise<StressReport> {
    const r = this.resolved;
    const o = r.options;
    // Without an injected wall clock the engine reads no process state: durations come from a RealClock and
    // `started_at` is the epoch. The Node layer injects the real date.
    const wall = o.wallClock ?? realDurationsOnly();
    const wallStart = wall.now();
    const startedAt = new Date(wall.epochMs()).toISOString();
    const root = new SeededRandom(r.seed);
    const clock: Clock =
      r.clock === 'virtual' ? new VirtualClock({ resolutionMs: r.clockResolutionMs }) : new RealClock();
    const runId = o.runId ?? 'run';
    const workload = createWorkload({ ...o, runId }, root.fork('workload'));
    const agents = workload.agents;
    const ledger = new DeliveryLedger({
      runId,
      agents,
      expectedMessages: workload.totalMessages,
      expectedUnits: workload.plannedDeliveries,
      profile: r.profile,
      checkOrder: r.checkOrder,
      checkPriority: r.checkPriority,
    });
    const metrics = new MetricsCollector({ agents });
    const timeline = new TimelineRecorder({
      intervals: r.timelineIntervals,
      plannedMs: workload.plannedDurationMs,
    });
    const chaos = new ChaosInjector({ schedule: r.chaos, random: root.fork('chaos'), clock });
    const sink: DeliverySink = {
      onDelivery(event: DeliveryEvent) {
        const verdict = ledger.recordDelivery(event);
        metrics.recordDelivery(event, verdict);
        if (event.outcome !== 'delivered') timeline.failed(event.finishedAt, event.recipient);
        if (verdict === 'first')
          timeline.delivered(event.finishedAt, (event.finishedAt - event.message.createdAt) * 1000);
        else if (verdict === 'duplicate') timeline.duplicate(event.finishedAt);
      },
      onAttemptStart(message, recipient, startedAt) {
        ledger.recordAttemptStart(message.id, recipient, startedAt);
      },
    };
    const externalWork = async <T>(work: () => Promise<T>): Promise<T> => {
      const release = clock instanceof VirtualClock ? clock.hold() : undefined;
      try {
        return await work();
      } finally {
        release?.();
      }
    };
    const coreRandom = root.fork('core');
    const core: MessagingCore = o.messagingCore
      ? o.messagingCore({
          clock,
          random: coreRandom,
          sink,
          chaos: chaos.enabled ? chaos : undefined,
          externalWork,
        })
      : new MockMessagingCore({
          clock,
          random: coreRandom,
          sink,
          successRate: r.successRate,
          latency: r.latency,
          agents: r.coreAgents,
          chaos: chaos.enabled ? chaos : undefined,
        });
    const warnings: string[] = [];
    const notes: string[] = [];
    const adapterFaults: string[] = [];
    let target: StressTarget;
    try {
      target = await o.target({
        messagingCore: core,
        clock,
        agents,
        events: {
          deadLettered: (message, recipients) => {
            timeline.deadLettered(clock.now(), ledger.recordDeadLettered(message.id, recipients));
          },
          retried: () => {
            metrics.recordRetry();
            timeline.retried(clock.now());
          },
          note: (text) => notes.push(text),
        },
        faults: chaos,
        externalWork,
        options: o.targetOptions ?? {},
      });
    } catch (error) {
      throw new StressError('ERR_TARGET', `The target factory threw: ${(error as Error)?.message ?? error}`, {
        cause: error,
      });
    }
    assertTarget(target);
    const total = workload.totalMessages;
    const step = Math.max(1, Math.floor(total / 100));
    const progress = (phase: StressProgress['phase'], sent: number): void => {
      this.dispatchEvent(new StressProgressEvent({ sent, total, now: clock.now(), phase }));
    };
    const messages = workload.messages();
    let down = false;
    const sender = new WorkloadSender({
      messages,
      clock,
      agents,
      ledger,
      metrics,
      timeline,
      target: () => target,
      targetDown: () => down,
      injectedStoreFaults: () => chaos.counts().store_write_failure ?? 0,
      onSent: (sent) => {
        if (sent % step === 0) progress('sending', sent);
      },
      signal: o.signal,
    });
    const tracked = new Set<Promise<void>>();
    const runEvents = scheduleRunEvents({
      clock,
      chaos,
      target,
      takeNext: () => messages.take(),
      send: (message) => sender.send(message),
      afterBurst: () => sender.sampleDepth(),
      warn: (text) => warnings.push(text),
      setDown: (value) => {
        down = value;
      },
      track: (work) => {
        const settled = work.catch((error: unknown) => {
          warnings.push(`chaos event failed: ${(error as Error)?.message ?? String(error)}`);
        });
        tracked.add(settled);
        void settled.then(() => tracked.delete(settled));
      },
    });
    const settleTracked = async (): Promise<void> => {
      while (tracked.size > 0) await Promise.all(tracked);
    };

    const sending = (async () => {
      await sender.run();
      await settleTracked();
    })();
    const limits: RunLimits = { drainTimeoutMs: r.drainTimeoutMs, signal: o.signal, yield: o.yield };
    const drain = await driveRun({
      clock,
      sending,
      idle: async () => {
        try {
          await target.whenIdle();
        } catch (error) {
          // An adapter fault is a finding: the run must not pass with units left pending.
          adapterFaults.push(`target.whenIdle() rejected: ${(error as Error)?.message ?? String(error)}`);
        }
        await settleTracked();
      },
      plannedMs: workload.plannedDurationMs,
      draining: () => {
        progress('draining', sender.sent);
        return drainBudgetMs(target, r.drainTimeoutMs, r.drainTimeoutFixed, warnings);
      },
      limits,
    });
    // Events planned past the end would otherwise fire while the target closes, or silently never.
    const unfired = runEvents.cancel();
    recordChaosEvents(
      timeline,
      chaos.schedule.events,
      unfired,
      clock.now(),
      Boolean(target.crash && target.restart),
    );
    for (const event of unfired) {
      warnings.push(
        `chaos ${event.kind} at ${event.atMs} ms never fired: the run ended at ${Math.round(clock.now())} ms`,
      );
    }
    progress('done', sender.sent);
    const left = target.inspect();
    const closing = Promise.resolve()
      .then(() => target.close())
      .catch((error: unknown) => {
        adapterFaults.push(`target.close() threw: ${(error as Error)?.message ?? String(error)}`);
      });
    if (!(await finishesWithin(clock, closing, limits)))
      warnings.push('target.close() did not finish within the drain timeout');
    const invariants = ledger.finish({ ...left, interrupted: drain === 'aborted' });
    for (const found of ledger.findingsInTime(invariants))
      timeline.finding(found.kind, found.unit, found.at_ms);
    const durationMs = clock.now();
    for (const [kind, count] of Object.entries(chaos.counts()))
      if (count > 0) metrics.recordChaos(kind, count);
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
        started_at: startedAt,
        wall_time_ms: Math.round((wall.now() - wallStart) * 1000) / 1000,
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
}

// Timed chaos events on the run clock: windows last their duration (cut at the run's end), a burst is an
// instant, a crash lasts until the restart; events that never fired or were skipped are left out.
function recordChaosEvents(
  timeline: TimelineRecorder,
  events: readonly ChaosEvent[],
  unfired: readonly ChaosEvent[],
  endMs: number,
  canCrash: boolean,
): void {
  for (const event of events) {
    if (unfired.includes(event) || event.atMs > endMs) continue;
    if (event.kind === 'crash_restart' && !canCrash) continue;
    const end = Math.min(endMs, event.atMs + (event.durationMs ?? 0));
    timeline.chaosEvent(event.kind, event.atMs, end, event.agent);
  }
}

function assertTarget(target: unknown): asserts target is StressTarget {
  const value = target as Partial<Record<keyof StressTarget, unknown>> | null;
  const missing = (['enqueue', 'whenIdle', 'inspect', 'close'] as const).filter(
    (method) => typeof value?.[method] !== 'function',
  );
  if (missing.length > 0) {
    throw new StressError(
      'ERR_TARGET',
      `Expected the target factory to return a target with ${missing.map((m) => `\`${m}()\``).join(', ')}, got ${describeValue(target)}.`,
    );
  }
}

function realDurationsOnly(): { now: () => number; epochMs: () => number } {
  const clock = new RealClock();
  return { now: () => clock.now(), epochMs: () => 0 };
}

/** Runs one stress test with `options` and resolves to its report. */
export function runStress(options: StressOptions, replay?: ReplayInfo): Promise<StressReport> {
  return new StressRunner(options).run(replay);
}

/** The final drain's budget: the drain timeout, extended to the target's declared settle time unless the caller fixed it. */
function drainBudgetMs(
  target: StressTarget,
  drainTimeoutMs: number,
  fixed: boolean,
  warnings: string[],
): number {
  if (fixed || typeof target.settleTimeMs !== 'function') return drainTimeoutMs;
  const declared = target.settleTimeMs(target.inspect());
  if (typeof declared !== 'number' || !Number.isFinite(declared) || declared < 0) {
    warnings.push(
      `target.settleTimeMs() returned ${String(declared)}, not a finite number of ms; the drain timeout applies`,
    );
    return drainTimeoutMs;
  }
  return Math.max(drainTimeoutMs, declared);
}
