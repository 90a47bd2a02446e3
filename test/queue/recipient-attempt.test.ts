import { describe, expect, it } from 'vitest';
import { RecipientAttempt } from '../../src/queue/recipient-attempt.ts';

describe('RecipientAttempt', () => {
  it('calls its listeners once, in order, with the reason; a function or a handleAbort object', () => {
    const attempt = new RecipientAttempt(2);
    const heard: string[] = [];
    attempt.onAbort((reason) => heard.push(`fn ${String(reason)}`));
    attempt.onAbort({ handleAbort: (reason) => heard.push(`object ${String(reason)}`) });
    attempt.onAbort((reason) => heard.push(`third ${String(reason)}`));
    attempt.abort('timeout');
    attempt.abort('again');
    expect(heard).toEqual(['fn timeout', 'object timeout', 'third timeout']);
    expect(attempt.attempt).toBe(2);
  });

  it('calls a listener registered after the abort at once', () => {
    const attempt = new RecipientAttempt(1);
    attempt.abort('late');
    let heard: unknown;
    attempt.onAbort((reason) => {
      heard = reason;
    });
    expect(heard).toBe('late');
  });

  it('makes its signal on first read, aborted with the reason whether read before or after the abort', () => {
    const before = new RecipientAttempt(1);
    const signal = before.signal;
    expect(before.signal).toBe(signal);
    expect(signal.aborted).toBe(false);
    before.abort('gone');
    expect(signal.aborted).toBe(true);
    expect(signal.reason).toBe('gone');
    const after = new RecipientAttempt(1);
    after.abort('gone too');
    expect(after.signal.aborted).toBe(true);
    expect(after.signal.reason).toBe('gone too');
    expect(() => after.signal.throwIfAborted()).toThrow();
  });
});
