import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { EmbeddedRedis } from '../../src/bullmq/index.ts';
import { redisConfig } from '../../src/bullmq/redis-config.ts';
import { ISOLATION_TEMP_DIRECTORY, isolationAllowances } from '../../src/isolation/index.ts';
import { StressError } from '../../src/protocol/index.ts';
import { processGone } from '../support/process-alive.ts';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../../', import.meta.url));

const started: EmbeddedRedis[] = [];
const clients: Redis[] = [];
afterEach(async () => {
  for (const client of clients.splice(0)) client.disconnect();
  for (const server of started.splice(0)) await server.stop();
});

async function start(persistence: 'always' | 'everysec' | 'snapshot' | 'off'): Promise<EmbeddedRedis> {
  const server = await EmbeddedRedis.start({ persistence });
  started.push(server);
  return server;
}

function client(server: EmbeddedRedis): Redis {
  const redis = new Redis({ host: server.host, port: server.port, maxRetriesPerRequest: null });
  redis.on('error', () => undefined);
  clients.push(redis);
  return redis;
}

describe('EmbeddedRedis (redis-server from PATH)', { timeout: 20_000 }, () => {
  it('runs on a free loopback port in a fresh directory, allowed by the guard while it lives, and leaves nothing', async () => {
    const server = await start('everysec');
    expect(server.directory.startsWith(ISOLATION_TEMP_DIRECTORY)).toBe(true);
    expect(server.pid).toBeGreaterThan(0);
    expect(await client(server).ping()).toBe('PONG');
    expect(isolationAllowances().map((a) => a.target)).toContain(`127.0.0.1:${server.port}`);
    await server.stop();
    started.pop();
    expect(existsSync(server.directory)).toBe(false);
    expect(isolationAllowances().some((a) => a.target.endsWith(`:${server.port}`))).toBe(false);
  });

  it('keeps acknowledged writes across a SIGKILL with the AOF (always, everysec), loses them without', async () => {
    for (const persistence of ['always', 'everysec', 'off'] as const) {
      const server = await start(persistence);
      const redis = client(server);
      for (let i = 0; i < 50; i++) await redis.set(`key-${i}`, String(i));
      const pid = server.pid;
      await server.kill();
      expect(server.pid).toBeUndefined();
      await server.restart();
      expect(server.pid).not.toBe(pid);
      expect(await redis.dbsize(), persistence).toBe(persistence === 'off' ? 0 : 50);
    }
  });

  it('stays down once stopped: a restart a fault scheduled before the stop does nothing', async () => {
    const server = await start('snapshot');
    await server.kill();
    await server.stop();
    started.pop();
    await server.restart();
    expect(server.pid).toBeUndefined();
    expect(existsSync(server.directory)).toBe(false);
  });

  it('leaves no server and no directory when its process exits without stopping it', async () => {
    const script = [
      "const { EmbeddedRedis } = await import('./src/bullmq/index.ts');",
      "const server = await EmbeddedRedis.start({ persistence: 'snapshot' });",
      'console.log(JSON.stringify({ pid: server.pid, directory: server.directory }));',
      'process.exit(0);',
    ].join('\n');
    const { stdout } = await run(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      cwd: ROOT,
    });
    const { pid, directory } = JSON.parse(stdout.trim().split('\n').at(-1)!) as {
      pid: number;
      directory: string;
    };
    expect(existsSync(directory)).toBe(false);
    // SIGKILLed on exit, then re-parented: poll briefly.
    expect(await processGone(pid)).toBe(true);
  });

  it('says how to install redis-server when it is missing', async () => {
    const error = await EmbeddedRedis.start({
      persistence: 'off',
      binary: 'redis-server-missing-here',
    }).catch((e: unknown) => e);
    expect(StressError.is(error, 'ERR_BROKER_NOT_FOUND')).toBe(true);
    expect((error as Error).message).toMatch(/apt-get install -y redis-server.*REDIS_URL/s);
  });

  it('writes one kind of persistence per setting', () => {
    const config = (persistence: 'always' | 'everysec' | 'snapshot' | 'off') =>
      redisConfig({ port: 1, directory: '/d', persistence });
    expect(config('always')).toMatch(/appendonly yes\nappendfsync always/);
    expect(config('everysec')).toMatch(/appendonly yes\nappendfsync everysec/);
    expect(config('snapshot')).toMatch(/save 1 1\nappendonly no/);
    expect(config('off')).toMatch(/save ""\nappendonly no/);
    expect(config('off')).toMatch(/^bind 127\.0\.0\.1$/m);
  });
});
