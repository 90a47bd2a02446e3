import { type Job, type Processor, Worker, type WorkerOptions } from 'bullmq';
import type { TargetEvents } from '../engine/index.ts';
import type { Message, MessagingCore } from '../protocol/index.ts';
import type { BullmqProcessorFactory } from './bullmq-target-options.ts';

/** What a {@link WorkerPool} builds its workers from. */
export interface WorkerPoolOptions {
  readonly queueName: string;
  readonly size: number;
  readonly processor: BullmqProcessorFactory;
  readonly worker: Omit<WorkerOptions, 'connection'>;
  readonly connection: WorkerOptions['connection'];
  readonly messagingCore: MessagingCore;
  readonly agents: readonly string[];
  readonly events: TargetEvents;
}

/** One worker process as the run models it: alive until crashed, then never delivers nor acknowledges again. */
interface Incarnation {
  readonly worker: Worker<Message>;
  alive: boolean;
  /** Jobs its processor is running now. */
  active: number;
  /** Set by a pending crash: the process dies the next time it picks up a job or hands a unit to the core. */
  armed: boolean;
}

const never = new Promise<never>(() => {});

/**
 * The user's BullMQ workers, each built from their processor with its own view of the injected core.
 * `crash(slot)` models a killed worker process: the worker is force-closed, and its processor (which a real kill
 * would have stopped) can neither deliver nor acknowledge anything afterwards, so its jobs stay active in
 * Redis until their lock expires and BullMQ's stalled-job check hands them to a live worker.
 */
export class WorkerPool {
  readonly #options: WorkerPoolOptions;
  readonly #slots: (Incarnation | undefined)[];
  #crashes = 0;

  constructor(options: WorkerPoolOptions) {
    this.#options = options;
    this.#slots = Array.from({ length: options.size }, () => undefined);
    for (let slot = 0; slot < options.size; slot++) this.#slots[slot] = this.#start();
  }

  /** Jobs the live workers' processors are running now. */
  get active(): number {
    let active = 0;
    for (const incarnation of this.#slots) if (incarnation?.alive) active += incarnation.active;
    return active;
  }

  /**
   * Kills the next worker in turn (round robin) mid-job, and starts a new one in its place after `downMs`. The
   * process dies the next time it picks up a job or hands a unit to the core (or after `waitMs` regardless), so
   * the crash always strands a unit not yet delivered: a crash while every unit is in the core's hands abandons
   * nothing a stalled-job check would have to recover.
   */
  async crashNext(downMs: number, waitMs: number, sleep: (ms: number) => Promise<void>): Promise<void> {
    const slot = this.#crashes++ % this.#slots.length;
    const incarnation = this.#slots[slot];
    if (incarnation !== undefined) incarnation.armed = true;
    for (let waited = 0; incarnation?.alive === true && waited < waitMs; waited += 5) await sleep(5);
    this.#slots[slot] = undefined;
    if (incarnation !== undefined) {
      incarnation.alive = false;
      await incarnation.worker.close(true).catch(() => undefined);
    }
    if (downMs > 0) await sleep(downMs);
    this.#slots[slot] = this.#start();
  }

  /** Resolves once every live worker is connected to Redis. */
  async ready(): Promise<void> {
    await Promise.all(this.#slots.map((incarnation) => incarnation?.worker.waitUntilReady()));
  }

  /**
   * Closes every live worker gracefully (running jobs finish first), but waits at most `graceMs` (on `sleep`'s
   * clock) for each: a worker whose broker lost jobs to a restart can wait for them for good, which once kept a
   * run's `close()` from ever stopping its embedded broker. A worker still closing then is disconnected instead.
   */
  async close(graceMs: number, sleep: (ms: number, signal: AbortSignal) => Promise<void>): Promise<void> {
    const live = this.#slots.filter((incarnation): incarnation is Incarnation => incarnation !== undefined);
    this.#slots.fill(undefined);
    await Promise.all(
      live.map(async ({ worker }) => {
        const grace = new AbortController();
        const closed = worker.close().then(
          () => true,
          () => true,
        );
        const waited = sleep(graceMs, grace.signal).then(
          () => false,
          () => false,
        );
        const done = await Promise.race([closed, waited]);
        grace.abort();
        if (!done) await worker.disconnect().catch(() => undefined);
      }),
    );
  }

  #start(): Incarnation {
    const o = this.#options;
    const incarnation: { -readonly [K in keyof Incarnation]: Incarnation[K] } = {
      worker: undefined as unknown as Worker<Message>,
      alive: true,
      active: 0,
      armed: false,
    };
    /** False once dead; an armed crash happens here, at a moment when the process holds undelivered work. */
    const lives = (): boolean => {
      if (incarnation.armed) incarnation.alive = false;
      return incarnation.alive;
    };
    const core: MessagingCore = {
      // A dead process delivers nothing: its calls never reach the core and never answer.
      deliver: (message, recipient, attempt) =>
        lives() ? o.messagingCore.deliver(message, recipient, attempt) : never,
    };
    const user: Processor<Message> = o.processor({ messagingCore: core, agents: o.agents });
    const processor: Processor<Message> = async (job, token, signal) => {
      if (!lives()) return never;
      incarnation.active++;
      try {
        const result: unknown = await user(job, token, signal);
        // Killed before it could acknowledge: the job stays active until its lock expires.
        return incarnation.alive ? result : never;
      } catch (error) {
        // Nor can a dead process report a failure (which would have BullMQ retry the job).
        if (!incarnation.alive) return never;
        throw error;
      } finally {
        incarnation.active--;
      }
    };
    const worker = new Worker<Message>(o.queueName, processor, { ...o.worker, connection: o.connection });
    worker.on('failed', (job: Job<Message> | undefined) => {
      if (job === undefined || !incarnation.alive) return;
      if (job.attemptsMade < (job.opts.attempts ?? 1)) o.events.retried(job.data, job.attemptsMade + 1);
    });
    // Connection errors are what broker chaos causes; ioredis reconnects and BullMQ carries on.
    worker.on('error', () => undefined);
    incarnation.worker = worker;
    return incarnation;
  }
}
