import { assertSafeAgentId, type Clock, invalidOption, type MessagingCore } from '../protocol/index.ts';
import { MessageQueue } from './message-queue.ts';
import type { ProcessorEvents } from './processor-events.ts';

/** Options of {@link MessageQueueProcessor}. */
export interface MessageQueueProcessorOptions {
  /** The queue to process. */
  readonly queue: MessageQueue;
  /** The port every delivery goes through (the mock core in a stress run). Required: there is no default. */
  readonly messagingCore: MessagingCore;
  /** The clock for delivery timeouts and lease renewals; normally the queue's clock. */
  readonly clock: Clock;
  /** Agent ids a broadcast (recipient `"ALL"`) fans out to. */
  readonly agents: readonly string[];
  /**
   * Most entries one `dequeue` takes. All entries of a batch, and all recipients of each, are delivered
   * at the same time, so an entry never waits in the processor while its lease runs.
   * @default 10
   */
  readonly batchSize?: number;
  /** How many batches `run()` keeps in flight: up to `batchSize × concurrency` entries in delivery. @default 4 */
  readonly concurrency?: number;
  /** How long one delivery may take before it is aborted and counted as `delivery_timeout`. @default 30000 */
  readonly deliveryTimeoutMs?: number;
  /** Told about every retry and dead letter. */
  readonly events?: ProcessorEvents;
}

/** {@link MessageQueueProcessorOptions} with defaults applied and validated. */
export interface ResolvedMessageQueueProcessorOptions {
  readonly queue: MessageQueue;
  readonly messagingCore: MessagingCore;
  readonly clock: Clock;
  readonly agents: readonly string[];
  readonly batchSize: number;
  readonly concurrency: number;
  readonly deliveryTimeoutMs: number;
  readonly events: ProcessorEvents | undefined;
}

const isIntegerIn = (value: unknown, min: number, max: number): value is number =>
  Number.isSafeInteger(value) && (value as number) >= min && (value as number) <= max;

const hasFunction = (value: unknown, name: string): boolean =>
  typeof value === 'object' &&
  value !== null &&
  typeof (value as Record<string, unknown>)[name] === 'function';

/** Applies the defaults of {@link MessageQueueProcessorOptions} and validates them once. */
export function resolveMessageQueueProcessorOptions(
  options: MessageQueueProcessorOptions,
): ResolvedMessageQueueProcessorOptions {
  if (typeof options !== 'object' || options === null) throw invalidOption('options', 'an object', options);
  const { queue, messagingCore, clock, agents, events } = options;
  const { batchSize = 10, concurrency = 4, deliveryTimeoutMs = 30_000 } = options;
  if (!(queue instanceof MessageQueue)) throw invalidOption('queue', 'a MessageQueue', queue);
  if (!hasFunction(messagingCore, 'deliver')) {
    throw invalidOption(
      'messagingCore',
      'a MessagingCore (an object with a `deliver` method)',
      messagingCore,
    );
  }
  if (!hasFunction(clock, 'setTimer') || !hasFunction(clock, 'now')) {
    throw invalidOption('clock', 'a Clock (an object with `now`, `setTimer`, `clearTimer`, `sleep`)', clock);
  }
  if (!Array.isArray(agents)) throw invalidOption('agents', 'an array of agent ids', agents);
  agents.forEach((agent, i) => {
    assertSafeAgentId(agent, `agents[${i}]`);
  });
  if (new Set(agents).size !== agents.length) {
    throw invalidOption('agents', 'an array of distinct agent ids', agents);
  }
  if (!isIntegerIn(batchSize, 1, 10_000))
    throw invalidOption('batchSize', 'an integer from 1 to 10000', batchSize);
  if (!isIntegerIn(concurrency, 1, 10_000)) {
    throw invalidOption('concurrency', 'an integer from 1 to 10000', concurrency);
  }
  if (
    typeof deliveryTimeoutMs !== 'number' ||
    !Number.isFinite(deliveryTimeoutMs) ||
    deliveryTimeoutMs <= 0
  ) {
    throw invalidOption('deliveryTimeoutMs', 'a finite number of milliseconds > 0', deliveryTimeoutMs);
  }
  if (events !== undefined && !(hasFunction(events, 'deadLettered') && hasFunction(events, 'retried'))) {
    throw invalidOption('events', 'an object with `deadLettered` and `retried` methods', events);
  }
  return {
    queue,
    messagingCore,
    clock,
    agents: [...agents],
    batchSize,
    concurrency,
    deliveryTimeoutMs,
    events,
  };
}
