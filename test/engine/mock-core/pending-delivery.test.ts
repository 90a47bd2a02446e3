import { describe, expect, it } from 'vitest';
import { type DeliveryPlan, PendingDelivery } from '../../../src/engine/mock-core/pending-delivery.ts';
import type { Message } from '../../../src/protocol/index.ts';

describe('PendingDelivery', () => {
  const message = { id: 'run-0' } as Message;

  it('settles as planned when its latency passes and stops listening to the signal', () => {
    const settled: DeliveryPlan[] = [];
    const controller = new AbortController();
    const call = new PendingDelivery(
      (_, plan) => settled.push(plan),
      message,
      'Agent-1',
      { attempt: 1, signal: controller.signal },
      'delivered',
      0,
      () => {},
      () => {},
    );
    controller.signal.addEventListener('abort', call);
    call.complete();
    controller.abort();
    expect(settled).toEqual(['delivered']);
  });

  it('settles as hung when the signal aborts first', () => {
    const settled: DeliveryPlan[] = [];
    const controller = new AbortController();
    const call = new PendingDelivery(
      (_, plan) => settled.push(plan),
      message,
      'Agent-1',
      { attempt: 1, signal: controller.signal },
      'threw',
      0,
      () => {},
      () => {},
    );
    controller.signal.addEventListener('abort', call, { once: true });
    controller.abort();
    expect(settled).toEqual(['hung']);
  });
});
