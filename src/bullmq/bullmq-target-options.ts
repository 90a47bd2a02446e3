import type { JobsOptions, Processor, QueueOptions, WorkerOptions } from 'bullmq';
import {
  invalidOption,
  type JsonObject,
  type Message,
  type MessagePriority,
  type MessagingCore,
} from '../protocol/index.ts';
import type { MessageQueue } from './queue-inspection.ts';
import { REDIS_PERSISTENCE, type RedisPersistence } from './redis-config.ts';

/** What the user's processor builder receives: the injected core (all deliveries go through it) and the agents. */
export interface BullmqProcessorContext {
  readonly messagingCore: MessagingCore;
  /** The run's agent ids; a broadcast (`recipient: 'ALL'`) goes to each, as the user's code fans it out. */
  readonly agents: readonly string[];
}

/**
 * Builds the user's own BullMQ processor function around the injected core: the function their production
 * worker runs, with its messaging core passed in. Called once per worker (and again for a restarted one).
 */
export type BullmqProcessorFactory = (context: BullmqProcessorContext) => Processor<Message>;

/** Where the broker comes from: a server the run starts, or one it is given. */
export interface BullmqRedisOptions {
  /** An existing server (`redis://host:port[/db]`); only a loopback one passes the isolation guard. @default process.env.REDIS_URL, else an embedded server */
  readonly url?: string;
  /** Persistence of the embedded server. @default 'everysec' */
  readonly persistence?: RedisPersistence;
  /** The embedded server's binary, a path or a name on `PATH`. @default 'redis-server' */
  readonly binary?: string;
}

/** Options of {@link createBullmqTarget}: the user's processor and their own queue and worker settings. */
export interface BullmqTargetOptions {
  readonly processor: BullmqProcessorFactory;
  /** Queue options as in production (`defaultJobOptions`: attempts, backoff, removeOnFail, ...), without `connection`. @default {} */
  readonly queue?: Omit<QueueOptions, 'connection'>;
  /** Worker options as in production (concurrency, lockDuration, stalledInterval, maxStalledCount, ...), without `connection`. @default {} */
  readonly worker?: Omit<WorkerOptions, 'connection'>;
  /** Worker instances consuming the queue (a `worker_crash` kills one of them). @default 1 */
  readonly workers?: number;
  /** The queue's name. @default a fresh `vitest-stress-<id>` per run */
  readonly queueName?: string;
  /** BullMQ priority of each message priority (1 is the highest; 0 means none). @default { urgent: 1, regular: 2 } */
  readonly priorities?: Readonly<Record<MessagePriority, number>>;
  /**
   * The user's producer: adds `message` to `queue`. @default one job per message, named after its type, with
   * `jobId` = the message id (idempotent when a client resends an add) and the mapped priority
   */
  readonly addJob?: (queue: MessageQueue, message: Message, options: JobsOptions) => Promise<unknown>;
  /** @default {} (an embedded server with `everysec` persistence, unless REDIS_URL is set) */
  readonly redis?: BullmqRedisOptions;
}

/** {@link BullmqTargetOptions} with defaults applied; `targetOptions` (JSON) may set `persistence`, `redisUrl`, `workers`. */
export interface ResolvedBullmqTargetOptions {
  readonly processor: BullmqProcessorFactory;
  readonly queue: Omit<QueueOptions, 'connection'>;
  readonly worker: Omit<WorkerOptions, 'connection'>;
  readonly workers: number;
  readonly queueName: string | undefined;
  readonly priorities: Readonly<Record<MessagePriority, number>>;
  readonly addJob: BullmqTargetOptions['addJob'];
  readonly redisUrl: string | undefined;
  readonly persistence: RedisPersistence;
  readonly binary: string;
}

const JSON_KEYS = ['persistence', 'redisUrl', 'workers'];

function priority(value: unknown, path: string): number {
  if (!Number.isSafeInteger(value) || (value as number) < 0 || (value as number) > 2_097_152)
    throw invalidOption(path, 'a BullMQ priority, an integer from 0 to 2097152', value);
  return value as number;
}

/** Validates the target's options and the run's JSON `targetOptions` over them, once. */
export function resolveBullmqTargetOptions(
  options: BullmqTargetOptions,
  overrides: JsonObject = {},
  path = 'targetOptions',
): ResolvedBullmqTargetOptions {
  if (typeof options !== 'object' || options === null)
    throw invalidOption('bullmq options', 'an object', options);
  if (typeof options.processor !== 'function') {
    throw invalidOption(
      'processor',
      'a function ({ messagingCore, agents }) => BullMQ processor (job) => Promise<unknown>',
      options.processor,
    );
  }
  for (const key of Object.keys(overrides)) {
    if (!JSON_KEYS.includes(key))
      throw invalidOption(`${path}.${key}`, `one of the known keys (${JSON_KEYS.join(', ')})`, key);
  }
  const persistence = overrides.persistence ?? options.redis?.persistence ?? 'everysec';
  if (!(REDIS_PERSISTENCE as readonly unknown[]).includes(persistence)) {
    throw invalidOption(
      'persistence',
      `one of ${REDIS_PERSISTENCE.map((p) => `"${p}"`).join(', ')}`,
      persistence,
    );
  }
  const workers = overrides.workers ?? options.workers ?? 1;
  if (!Number.isSafeInteger(workers) || (workers as number) < 1 || (workers as number) > 64)
    throw invalidOption('workers', 'an integer from 1 to 64', workers);
  const redisUrl = overrides.redisUrl ?? options.redis?.url ?? (process.env.REDIS_URL || undefined);
  if (redisUrl !== undefined && (typeof redisUrl !== 'string' || !/^rediss?:\/\//.test(redisUrl)))
    throw invalidOption('redis.url', 'a redis://host:port URL', redisUrl);
  const priorities = options.priorities ?? { urgent: 1, regular: 2 };
  return {
    processor: options.processor,
    queue: options.queue ?? {},
    worker: options.worker ?? {},
    workers: workers as number,
    queueName: options.queueName,
    priorities: {
      urgent: priority(priorities.urgent, 'priorities.urgent'),
      regular: priority(priorities.regular, 'priorities.regular'),
    },
    addJob: options.addJob,
    redisUrl,
    persistence: persistence as RedisPersistence,
    binary: options.redis?.binary ?? 'redis-server',
  };
}
