import { describe, expect, it } from 'vitest';
import { runUntil, VirtualClock } from '../../../src/engine/index.ts';
import { checkMessage } from '../../../src/validate/queue/check-message.ts';
import { RecordingCore } from '../../../src/validate/queue/recording-core.ts';

describe('RecordingCore', () => {
  it('records calls in order with their clock time, waits its latency and answers as told', async () => {
    const clock = new VirtualClock();
    const core = new RecordingCore({
      clock,
      latencyMs: 3,
      deliverButReportFailure: ({ messageId, attempt }) => messageId === 'q-1' && attempt === 1,
    });
    const answers = Promise.all([
      core.deliver(checkMessage({ index: 0 }), 'Agent-2', { attempt: 1 }),
      core.deliver(checkMessage({ index: 1 }), 'Agent-2', { attempt: 1 }),
    ]);
    await runUntil(clock, answers);
    expect(await answers).toEqual([true, false]);
    expect(clock.now()).toBe(3);
    await runUntil(clock, core.deliver(checkMessage({ index: 1 }), 'Agent-2', { attempt: 2 }));
    expect(core.calls.map((call) => [call.order, call.messageId, call.answer, call.at])).toEqual([
      [0, 'q-0', true, 0],
      [1, 'q-1', false, 0],
      [2, 'q-1', true, 3],
    ]);
    expect(core.firstCalls().map((call) => call.messageId)).toEqual(['q-0', 'q-1']);
  });
});
