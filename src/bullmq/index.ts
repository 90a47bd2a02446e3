// First: msgpackr (loaded by bullmq) must not load its native addon under the isolation guard.
import './msgpack-without-addon.ts';

export { SLOW_PAUSE_MS, SLOW_PERIOD_MS } from './broker-faults.ts';
export { createBullmqTarget } from './bullmq-target.ts';
export {
  type BullmqProcessorContext,
  type BullmqProcessorFactory,
  type BullmqRedisOptions,
  type BullmqTargetOptions,
  type ResolvedBullmqTargetOptions,
  resolveBullmqTargetOptions,
} from './bullmq-target-options.ts';
export { type BullmqTiming, bullmqTiming } from './bullmq-timing.ts';
export { EmbeddedRedis, type EmbeddedRedisOptions } from './embedded-redis.ts';
export { REDIS_PERSISTENCE, type RedisPersistence } from './redis-config.ts';
