import { invalidOption, type JsonObject } from '../protocol/index.ts';

/** Options of the reference target (the swarm's `MessageQueueProcessor` on a `MessageQueue`). */
export interface ReferenceTargetOptions {
  /** Where the queue lives: in memory, or a durable file journal (crash chaos then recovers from disk). @default 'memory' */
  readonly store?: 'memory' | 'file';
  /** Directory of the file store; a fresh temporary directory (deleted on close) when unset. */
  readonly storeDirectory?: string;
  /** Live entries the queue holds before `enqueue` rejects with `ERR_QUEUE_FULL`. @default 10000 */
  readonly capacity?: number;
  /** Entries taken per batch. @default 10 */
  readonly batchSize?: number;
  /** Batches in delivery at once. @default 4 */
  readonly concurrency?: number;
  /** A delivery taking longer is aborted and retried. @default 30000 */
  readonly deliveryTimeoutMs?: number;
  /** Lease on a dequeued entry, in ms. @default 30000 */
  readonly leaseMs?: number;
  /** Attempts before dead-lettering (first try included). @default 4 (the first try and 3 retries) */
  readonly maxAttempts?: number;
  /** First retry delay; later ones grow by `retryFactor`. @default 5000 */
  readonly retryBaseDelayMs?: number;
  /** @default 3 */
  readonly retryFactor?: number;
}

/** {@link ReferenceTargetOptions} validated, defaults applied. */
export interface ResolvedReferenceTargetOptions {
  readonly store: 'memory' | 'file';
  readonly storeDirectory: string | undefined;
  readonly capacity: number;
  readonly batchSize: number;
  readonly concurrency: number;
  readonly deliveryTimeoutMs: number;
  readonly leaseMs: number;
  readonly maxAttempts: number;
  readonly retryBaseDelayMs: number;
  readonly retryFactor: number;
}

const KEYS = new Set([
  'store',
  'storeDirectory',
  'capacity',
  'batchSize',
  'concurrency',
  'deliveryTimeoutMs',
  'leaseMs',
  'maxAttempts',
  'retryBaseDelayMs',
  'retryFactor',
]);

function integer(value: unknown, path: string, min: number, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || (value as number) < min)
    throw invalidOption(path, `an integer >= ${min}`, value);
  return value as number;
}

function positive(value: unknown, path: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !(value > 0) || !Number.isFinite(value)) {
    throw invalidOption(path, 'a positive number', value);
  }
  return value;
}

/** Validates reference-target options (from code or from JSON-plain `targetOptions`), applying defaults. */
export function resolveReferenceTargetOptions(
  options: ReferenceTargetOptions | JsonObject = {},
  path = 'targetOptions',
): ResolvedReferenceTargetOptions {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw invalidOption(path, 'an object', options);
  }
  const o = options as Record<string, unknown>;
  for (const key of Object.keys(o)) {
    if (!KEYS.has(key))
      throw invalidOption(`${path}.${key}`, `one of the known keys (${[...KEYS].join(', ')})`, key);
  }
  if (o.store !== undefined && o.store !== 'memory' && o.store !== 'file') {
    throw invalidOption(`${path}.store`, '"memory" or "file"', o.store);
  }
  if (o.storeDirectory !== undefined && (typeof o.storeDirectory !== 'string' || o.storeDirectory === '')) {
    throw invalidOption(`${path}.storeDirectory`, 'a directory path', o.storeDirectory);
  }
  return {
    store: (o.store as 'memory' | 'file' | undefined) ?? 'memory',
    storeDirectory: o.storeDirectory as string | undefined,
    capacity: integer(o.capacity, `${path}.capacity`, 1, 10_000),
    batchSize: integer(o.batchSize, `${path}.batchSize`, 1, 10),
    concurrency: integer(o.concurrency, `${path}.concurrency`, 1, 4),
    deliveryTimeoutMs: positive(o.deliveryTimeoutMs, `${path}.deliveryTimeoutMs`, 30_000),
    leaseMs: positive(o.leaseMs, `${path}.leaseMs`, 30_000),
    maxAttempts: integer(o.maxAttempts, `${path}.maxAttempts`, 1, 4),
    retryBaseDelayMs: positive(o.retryBaseDelayMs, `${path}.retryBaseDelayMs`, 5_000),
    retryFactor: positive(o.retryFactor, `${path}.retryFactor`, 3),
  };
}
