import { DeliveryLedger } from '../../../src/engine/ledger/delivery-ledger.ts';
import { MetricsCollector } from '../../../src/engine/metrics/metrics-collector.ts';
import {
  buildMetricsReport,
  type MetricsReport,
  type RunInfo,
} from '../../../src/engine/metrics/metrics-report.ts';
import type { ThresholdSpec } from '../../../src/engine/metrics/threshold.ts';
import type { DeliveryEvent } from '../../../src/engine/mock-core/delivery-sink.ts';
import type { Message } from '../../../src/protocol/index.ts';
import { AGENTS, attempt, message, RUN_ID } from '../ledger/delivery-history.ts';

export const RUN_INFO: RunInfo = {
  seed: 42,
  clock: 'virtual',
  agents: AGENTS.length,
  messages_per_agent: 4,
  mix: { system_to_agent: 0.5, broadcast: 0.25, onboarding: 0.25 },
  chaos: null,
  started_at: '2025-01-28T10:00:00.000Z',
  wall_time_ms: 12.5,
  tool_version: '0.1.0',
  node_version: 'v20.20.2',
};

/**
 * A small run recorded through the real ledger and collector: 12 messages (some broadcasts), one failed
 * first attempt then a retry, one duplicate, one dead letter and a few queue-depth samples.
 */
export function recordSampleRun() {
  const ledger = new DeliveryLedger({ runId: RUN_ID, agents: AGENTS });
  const collector = new MetricsCollector({ agents: AGENTS });
  const deliver = (event: DeliveryEvent) => collector.recordDelivery(event, ledger.recordDelivery(event));
  const messages: Message[] = [];
  for (let i = 0; i < 12; i++) {
    const type = i % 4 === 0 ? 'broadcast' : i % 4 === 1 ? 'onboarding' : 'system_to_agent';
    const recipient = type === 'broadcast' ? 'ALL' : AGENTS[i % AGENTS.length]!;
    messages.push(message(i, { type, recipient, createdAt: i * 10 }));
  }
  messages.forEach((msg, i) => {
    ledger.recordSent(msg, msg.recipient === 'ALL' ? AGENTS : [msg.recipient]);
    ledger.recordAccepted(msg.id);
    collector.sampleQueueDepth(i + 1, msg.createdAt);
  });
  for (const msg of messages) {
    for (const recipient of msg.recipient === 'ALL' ? AGENTS : [msg.recipient]) {
      const startedAt = msg.createdAt + 2;
      if (msg.id === 'run-5') {
        deliver(attempt(msg, { recipient, startedAt, outcome: 'failed', serviceMs: 3 }));
        collector.recordRetry();
        deliver(
          attempt(msg, { recipient, startedAt: startedAt + 20, outcome: 'failed', serviceMs: 3, n: 2 }),
        );
        ledger.recordDeadLettered(msg.id, [recipient]);
        continue;
      }
      deliver(attempt(msg, { recipient, startedAt, serviceMs: 1 + (startedAt % 7) }));
      if (msg.id === 'run-7') deliver(attempt(msg, { recipient, startedAt: startedAt + 9, n: 2 }));
    }
  }
  collector.recordChaos('slow_delivery', 2);
  collector.recordChaos('core_failure');
  collector.sampleQueueDepth(0, 150);
  const invariants = ledger.finish({ pending: 0, processing: 0 });
  const snapshot = collector.snapshot({ durationMs: 150, units: invariants });
  return { ledger, collector, invariants, snapshot };
}

/** A real metrics report of {@link recordSampleRun}. */
export function buildSampleReport(thresholds: ThresholdSpec = {}): MetricsReport {
  const { invariants, snapshot } = recordSampleRun();
  return buildMetricsReport({
    snapshot,
    invariants,
    run: RUN_INFO,
    replay: { seed: 42, command: 'npx vitest-stress replay --seed 42' },
    thresholds,
  });
}
