import { type Clock, describeValue, type MessagingCore, StressError } from '../../protocol/index.ts';
import { ChaosInjector } from '../chaos/chaos-injector.ts';
import { RealClock } from '../clock/real-clock.ts';
import { VirtualClock } from '../clock/virtual-clock.ts';
import { DeliveryLedger } from '../ledger/delivery-ledger.ts';
import { MetricsCollector } from '../metrics/metrics-collector.ts';
import { TimelineRecorder } from '../metrics/timeline-recorder.ts';
import type { DeliveryEvent, DeliverySink } from '../mock-core/delivery-sink.ts';
import { MockMessagingCore } from '../mock-core/mock-messaging-core.ts';
import { SeededRandom } from '../workload/seeded-random.ts';
import { createWorkload, type Workload } from '../workload/workload.ts';
import type { ResolvedStressOptions } from './stress-options.ts';
import type { StressTarget } from './stress-target.ts';

/**
 * Everything one run is made of, wired together and not yet started: the clock, the seeded workload, the ledger,
 * metrics and timeline that watch it, the chaos, the core and the user's target built around that core.
 */
export interface AssembledRun {
  readonly resolved: ResolvedStressOptions;
  readonly clock: Clock;
  readonly workload: Workload;
  readonly agents: readonly string[];
  readonly ledger: DeliveryLedger;
  readonly metrics: MetricsCollector;
  readonly timeline: TimelineRecorder;
  readonly chaos: ChaosInjector;
  readonly target: StressTarget;
  /** What the report says besides the verdict; the later phases add to them. */
  readonly warnings: string[];
  readonly notes: string[];
  /** Faults of the target's adapter (a rejecting `whenIdle()`, a throwing `close()`): findings, not silence. */
  readonly adapterFaults: string[];
  /** Wall time, for the report's wall-clock fields only. */
  readonly wall: { now(): number; epochMs(): number };
  readonly wallStart: number;
  readonly startedAt: string;
}

/** Builds a run from resolved options: every part seeded from `r.seed`, the target built by its factory. */
export async function assembleRun(r: ResolvedStressOptions): Promise<AssembledRun> {
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
  return {
    resolved: r,
    clock,
    workload,
    agents,
    ledger,
    metrics,
    timeline,
    chaos,
    target,
    warnings,
    notes,
    adapterFaults,
    wall,
    wallStart,
    startedAt,
  };
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
