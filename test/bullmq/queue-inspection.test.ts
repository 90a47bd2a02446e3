import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EmbeddedRedis } from '../../src/bullmq/index.ts';
import { type MessageQueue, readQueueHoldings } from '../../src/bullmq/queue-inspection.ts';

let redis: EmbeddedRedis;
let queue: MessageQueue;
beforeAll(async () => {
  redis = await EmbeddedRedis.start({ persistence: 'off' });
  queue = new Queue('inspect', { connection: { host: redis.host, port: redis.port } }) as MessageQueue;
});
afterAll(async () => {
  await queue.close();
  await redis.stop();
});

const message = (id: string, recipient: string) =>
  ({ id, type: 'note', recipient, priority: 'regular' }) as unknown as Parameters<MessageQueue['add']>[1];

describe('readQueueHoldings (what inspect() reports from Redis)', () => {
  it('counts a unit per job and one per agent for each broadcast, by state, from job ids only', async () => {
    await queue.add('note', message('m1', 'Agent-1'), { jobId: 'm1' });
    await queue.add('note', message('m2', 'ALL'), { jobId: 'm2' });
    await queue.add('note', message('m3', 'Agent-2'), { jobId: 'm3', delay: 60_000 });
    const holdings = await readQueueHoldings(queue, 4, new Set(['m2']));
    expect(holdings).toEqual({ jobs: 3, pending: 3 + 3, processing: 0 });
    // Without knowing which jobs are broadcasts every job is one unit: the set is what makes broadcasts count.
    expect(await readQueueHoldings(queue, 4)).toEqual({ jobs: 3, pending: 3, processing: 0 });
    await queue.obliterate({ force: true });
    expect(await readQueueHoldings(queue, 4, new Set(['m2']))).toEqual({
      jobs: 0,
      pending: 0,
      processing: 0,
    });
  });
});
