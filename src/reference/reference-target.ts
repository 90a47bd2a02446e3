import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { StressTarget, StressTargetContext, StressTargetFactory } from '../engine/index.ts';
import { type JsonObject, StressError } from '../protocol/index.ts';
import { FileQueueStore } from '../queue/file-store/file-queue-store.ts';
import { MemoryQueueStore, MessageQueue, MessageQueueProcessor, type QueueStore } from '../queue/index.ts';
import {
  type ReferenceTargetOptions,
  type ResolvedReferenceTargetOptions,
  resolveReferenceTargetOptions,
} from './reference-target-options.ts';

/** Prefix of the temporary directories the reference target's file store creates (the isolation guard allows them). */
export const REFERENCE_STORE_TEMP_PREFIX = 'vitest-stress-store-';

interface Incarnation {
  readonly store: QueueStore;
  readonly queue: MessageQueue;
  readonly processor: MessageQueueProcessor;
  readonly running: Promise<unknown>;
}

/** Wraps a store's real I/O in `externalWork`, so a virtual clock waits for each write before moving on. */
function heldStore(store: QueueStore, context: StressTargetContext): QueueStore {
  return {
    open: () => context.externalWork(() => store.open()),
    append: (records) => context.externalWork(() => store.append(records)),
    close: () => context.externalWork(() => store.close()),
  };
}

/** Longest single retry backoff of the queue's retry policy (its default `maxDelayMs`). */
const MAX_RETRY_DELAY_MS = 300_000;

/**
 * The reference processor's worst-case settle time for `held` entries: every attempt of every batch round
 * times out (delivery timeout, then the lease), every retry is spent, and each backoff is waited in full.
 */
export function referenceSettleTimeMs(options: ResolvedReferenceTargetOptions, held: number): number {
  const rounds = Math.ceil(held / (options.batchSize * options.concurrency)) + 1;
  let backoffs = 0;
  for (let retry = 0; retry < options.maxAttempts - 1; retry++) {
    backoffs += Math.min(options.retryBaseDelayMs * options.retryFactor ** retry, MAX_RETRY_DELAY_MS);
  }
  return rounds * options.maxAttempts * (options.deliveryTimeoutMs + options.leaseMs) + backoffs;
}

/**
 * The default system under test: the swarm's `MessageQueueProcessor` on a `MessageQueue`, with the injected
 * mock core, the run's clock, and a memory or file store. `crash()` abandons the queue as a killed process
 * would (in-flight deliveries finish unacknowledged); `restart()` recovers from the store.
 * @example
 * await runStress({ target: createReferenceTarget({ store: 'file' }), chaos: 'harsh' });
 */
export function createReferenceTarget(defaults: ReferenceTargetOptions = {}): StressTargetFactory {
  return async (context: StressTargetContext): Promise<StressTarget> => {
    const options = resolveReferenceTargetOptions({ ...defaults, ...(context.options as JsonObject) });
    const ownDirectory =
      options.store === 'file' && options.storeDirectory === undefined
        ? await mkdtemp(join(tmpdir(), REFERENCE_STORE_TEMP_PREFIX))
        : undefined;
    const directory = options.storeDirectory ?? ownDirectory;
    const faults = { beforeAppend: () => context.faults.storeWrite() };
    const memoryStore = options.store === 'memory' ? new MemoryQueueStore({ faults }) : undefined;

    const start = async (): Promise<Incarnation> => {
      const store =
        memoryStore ?? heldStore(new FileQueueStore({ directory: directory as string, faults }), context);
      const queue = await MessageQueue.open({
        store,
        clock: context.clock,
        capacity: options.capacity,
        leaseMs: options.leaseMs,
        retry: {
          maxAttempts: options.maxAttempts,
          baseDelayMs: options.retryBaseDelayMs,
          factor: options.retryFactor,
        },
      });
      const processor = new MessageQueueProcessor({
        queue,
        messagingCore: context.messagingCore,
        clock: context.clock,
        agents: context.agents,
        batchSize: options.batchSize,
        concurrency: options.concurrency,
        deliveryTimeoutMs: options.deliveryTimeoutMs,
        events: context.events,
      });
      // A run ends when the queue closes (crash or close); its rejection then is expected.
      const running = processor.run().catch(() => undefined);
      return { store, queue, processor, running };
    };

    let current: Incarnation | undefined = await start();
    let restarted: Promise<void> = Promise.resolve();
    let markRestarted: () => void = () => {};

    return {
      // The queue's promise as it is (no async wrapper): the engine only waits for it to settle.
      enqueue: (message) => {
        if (!current) {
          return Promise.reject(
            new StressError(
              'ERR_QUEUE_CLOSED',
              'The reference processor is down (crashed, not restarted yet).',
            ),
          );
        }
        return current.processor.submit(message);
      },
      whenIdle: async () => {
        for (;;) {
          const incarnation = current;
          if (incarnation) {
            await incarnation.queue.whenIdle().catch(() => undefined);
            if (current === incarnation && incarnation.queue.isOpen) return;
          }
          await restarted;
          if (current === incarnation) return;
        }
      },
      settleTimeMs: (held) => referenceSettleTimeMs(options, held.pending + held.processing),
      inspect: () => {
        // The queue holds one entry per message (a broadcast is one entry for all its agents).
        if (!current) return { pending: 0, processing: 0, unit: 'entry' };
        const stats = current.queue.stats();
        return { pending: stats.pending, processing: stats.processing, unit: 'entry' };
      },
      crash: async () => {
        const incarnation = current;
        if (!incarnation) return;
        current = undefined;
        restarted = new Promise((resolve) => {
          markRestarted = resolve;
        });
        incarnation.queue.abandon();
        void incarnation.processor.stop();
        // A killed process leaves its file store unlocked for the next one; buffered appends were already
        // fsynced before they were acknowledged, so closing here loses nothing a crash would keep.
        if (!memoryStore) await incarnation.store.close().catch(() => undefined);
      },
      restart: async () => {
        if (current) return;
        current = await start();
        markRestarted();
      },
      close: async () => {
        const incarnation = current;
        current = undefined;
        markRestarted();
        if (incarnation) {
          await incarnation.processor.stop();
          await incarnation.running;
          await incarnation.queue.close();
        }
        if (ownDirectory)
          await context.externalWork(() => rm(ownDirectory, { recursive: true, force: true }));
      },
    };
  };
}
