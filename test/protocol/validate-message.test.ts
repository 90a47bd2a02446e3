import { describe, expect, it } from 'vitest';
import { type Message, StressError, validateMessage } from '../../src/protocol/index.ts';

const valid: Message = {
  id: 'm-1',
  content: 'Test message 1',
  sender: 'SYSTEM',
  senderKind: 'system',
  recipient: 'Agent-1',
  recipientKind: 'agent',
  type: 'system_to_agent',
  priority: 'regular',
  tags: ['system'],
  metadata: { test: true, n: 1 },
  createdAt: 0,
};

function errorOf(input: unknown, maxContentLength?: number): StressError {
  try {
    validateMessage(input, maxContentLength === undefined ? {} : { maxContentLength });
  } catch (error) {
    if (StressError.is(error)) return error;
    throw error;
  }
  throw new Error('expected validateMessage to throw');
}

describe('validateMessage', () => {
  it('accepts a well-formed message and a broadcast', () => {
    expect(validateMessage(valid)).toBe(valid);
    expect(validateMessage({ ...valid, recipient: 'ALL', type: 'broadcast' }).recipient).toBe('ALL');
  });

  it.each([
    ['content', { content: '' }, /`content` to be a non-empty string, got "" \(string\)/],
    ['content', { content: '   ' }, /non-empty string/],
    ['type', { type: 'direct' }, /`type` to be one of "text", .*got "direct"/],
    ['priority', { priority: 'high' }, /`priority` to be one of "regular", "urgent", got "high"/],
    ['tags[1]', { tags: ['system', 'SYSTEM'] }, /`tags\[1\]`.*got "SYSTEM"/],
    ['recipient', { recipient: '../etc' }, /`recipient` to be a safe agent id/],
    ['recipient', { recipient: 'Agent/1' }, /safe agent id/],
    ['sender', { sender: 'Agent\u00001' }, /`sender` to be a safe agent id/],
    ['sender', { sender: 'a..b' }, /safe agent id/],
    ['metadata.when', { metadata: { when: new Date(0) } }, /`metadata.when` to be JSON-plain/],
    ['metadata.big', { metadata: { big: 1n } }, /JSON-plain/],
    ['metadata.nan', { metadata: { nan: Number.NaN } }, /JSON-plain/],
    ['createdAt', { createdAt: '2025' }, /`createdAt` to be a finite number/],
  ])('rejects a bad %s with a coded error naming it', (field, patch, message) => {
    const error = errorOf({ ...valid, ...patch });
    expect(error.code).toBe('ERR_INVALID_MESSAGE');
    expect(error.details.field).toBe(field);
    expect(error.message).toMatch(message);
    expect(error.message.startsWith('[vitest-stress] Expected message')).toBe(true);
  });

  it('enforces a configurable content size limit', () => {
    const message = { ...valid, content: 'x'.repeat(11) };
    expect(validateMessage(message, { maxContentLength: 11 })).toBe(message);
    expect(errorOf(message, 10).message).toMatch(/at most 10 characters, got "11 characters"/);
  });

  it('rejects what is not an object at all', () => {
    expect(errorOf(null).message).toMatch(/to be an object, got `null`/);
    expect(errorOf([valid]).message).toMatch(/got an array of length 1/);
  });
});
