/**
 * How an embedded broker keeps its data: the append-only file fsynced before every reply (`always`), or once
 * a second (`everysec`: written to the kernel before each reply, so only a machine crash loses that second);
 * an RDB snapshot every second with no AOF (`snapshot`: a killed broker loses what came after the last one);
 * or no persistence at all (`off`: a restart starts empty).
 */
export type RedisPersistence = 'always' | 'everysec' | 'snapshot' | 'off';

/** The persistence settings an embedded broker accepts. */
export const REDIS_PERSISTENCE: readonly RedisPersistence[] = ['always', 'everysec', 'snapshot', 'off'];

/** What {@link redisConfig} writes. */
export interface RedisConfigOptions {
  readonly port: number;
  readonly directory: string;
  readonly persistence: RedisPersistence;
}

/**
 * The `redis.conf` of an embedded broker: loopback only, one kind of persistence, `noeviction` as BullMQ requires, and DEBUG allowed from loopback for fault injection.
 */
export function redisConfig(options: RedisConfigOptions): string {
  const p = options.persistence;
  const persistence =
    p === 'off'
      ? ['save ""', 'appendonly no']
      : p === 'snapshot'
        ? ['save 1 1', 'appendonly no']
        : ['save ""', 'appendonly yes', `appendfsync ${p}`];
  return [
    'bind 127.0.0.1',
    `port ${options.port}`,
    `dir "${options.directory}"`,
    'daemonize no',
    'logfile ""',
    'loglevel notice',
    ...persistence,
    'maxmemory-policy noeviction',
    'enable-debug-command local',
    '',
  ].join('\n');
}
