import { afterEach, describe, expect, it } from 'vitest';
import { bullmqTiming, resolveBullmqTargetOptions } from '../../src/bullmq/index.ts';

const processor = () => async () => undefined;
const saved = process.env.REDIS_URL;
afterEach(() => {
  if (saved === undefined) delete process.env.REDIS_URL;
  else process.env.REDIS_URL = saved;
});

describe('resolveBullmqTargetOptions', () => {
  it('applies the defaults: an embedded broker with everysec, one worker, urgent before regular', () => {
    delete process.env.REDIS_URL;
    expect(resolveBullmqTargetOptions({ processor })).toMatchObject({
      workers: 1,
      persistence: 'everysec',
      redisUrl: undefined,
      priorities: { urgent: 1, regular: 2 },
      binary: 'redis-server',
    });
  });

  it('takes REDIS_URL, then the option, then targetOptions', () => {
    process.env.REDIS_URL = 'redis://127.0.0.1:7000';
    expect(resolveBullmqTargetOptions({ processor }).redisUrl).toBe('redis://127.0.0.1:7000');
    const withOption = { processor, redis: { url: 'redis://localhost:7001' } };
    expect(resolveBullmqTargetOptions(withOption).redisUrl).toBe('redis://localhost:7001');
    expect(
      resolveBullmqTargetOptions(withOption, { redisUrl: 'redis://[::1]:7002', persistence: 'always' }),
    ).toMatchObject({ redisUrl: 'redis://[::1]:7002', persistence: 'always' });
  });

  it('rejects bad input with coded errors naming the field', () => {
    expect(() => resolveBullmqTargetOptions({} as never)).toThrow(/`processor` to be a function/);
    expect(() => resolveBullmqTargetOptions({ processor }, { workerz: 2 })).toThrow(
      /`targetOptions.workerz`/,
    );
    expect(() => resolveBullmqTargetOptions({ processor }, { persistence: 'fsync' })).toThrow(
      /`persistence` to be one of "always", "everysec", "snapshot", "off"/,
    );
    expect(() => resolveBullmqTargetOptions({ processor, workers: 0 })).toThrow(/`workers`/);
    expect(() => resolveBullmqTargetOptions({ processor, redis: { url: 'http://x' } })).toThrow(/redis:\/\//);
    expect(() => resolveBullmqTargetOptions({ processor, priorities: { urgent: -1, regular: 1 } })).toThrow(
      /`priorities.urgent`/,
    );
  });
});

describe('bullmqTiming: the run waits as long as the worker settings say', () => {
  it('uses BullMQ defaults: a 30 s lock, a 30 s stalled check, one attempt', () => {
    const timing = bullmqTiming(resolveBullmqTargetOptions({ processor }));
    expect(timing).toMatchObject({ stalledRecoveryMs: 60_000, attempts: 1, backoffTotalMs: 0 });
    expect(timing.drainTimeoutMs).toBe(125_000);
  });

  it('adds every backoff: fixed, exponential, or a plain number', () => {
    const timing = (backoff: unknown) =>
      bullmqTiming(
        resolveBullmqTargetOptions({
          processor,
          queue: { defaultJobOptions: { attempts: 4, backoff: backoff as never } },
          worker: { lockDuration: 1000, stalledInterval: 500 },
        }),
      );
    expect(timing({ type: 'fixed', delay: 100 }).backoffTotalMs).toBe(300);
    expect(timing({ type: 'exponential', delay: 100 }).backoffTotalMs).toBe(700);
    expect(timing(50).backoffTotalMs).toBe(150);
    expect(timing({ type: 'exponential', delay: 100 }).drainTimeoutMs).toBe(2 * 1500 + 700 + 5000);
  });
});
