import { describe, expect, it } from 'vitest';
import {
  describeViolation,
  IsolationViolation,
  type IsolationViolationRecord,
  isIsolationViolation,
  VIOLATION_KINDS,
} from '../../src/isolation/index.ts';
import { StressError } from '../../src/protocol/index.ts';

const record: IsolationViolationRecord = {
  kind: 'network',
  target: '127.0.0.1:8080',
  api: 'fetch',
  test: 'delivers to nine agents',
  frame: '/app/processor.ts:12:5',
  blocked: true,
};

describe('IsolationViolation', () => {
  it('is a coded StressError carrying its record as details', () => {
    const error = new IsolationViolation(record);
    expect(error).toBeInstanceOf(StressError);
    expect(error).toMatchObject({ code: 'ERR_ISOLATION_VIOLATION', name: 'StressError', details: record });
    expect(error.violation).toBe(record);
    expect(error.message).toBe(
      '[vitest-stress] Expected no network connections during a stress run, got `fetch` connecting to `127.0.0.1:8080` in test "delivers to nine agents" at /app/processor.ts:12:5. It was blocked. Deliver through the injected messaging core, or set `allowNetwork: true` for a local test double.',
    );
  });

  it('describes every kind, and says when observe mode let the call through', () => {
    for (const kind of VIOLATION_KINDS) {
      const text = describeViolation({ kind, target: 't', api: 'a', blocked: false });
      expect(text).toMatch(
        /^Expected no .* during a stress run, got `a` \w+( to)? `t`\. It was allowed \(observe mode\)\./,
      );
    }
  });

  it('is recognised across copies of the module and after crossing a thread, by name and code', () => {
    const fromLoaderThread = Object.assign(new Error('[vitest-stress] blocked'), {
      name: 'StressError',
      code: 'ERR_ISOLATION_VIOLATION',
    });
    expect(isIsolationViolation(fromLoaderThread)).toBe(true);
    expect(isIsolationViolation(new StressError('ERR_IO', 'x'))).toBe(false);
    expect(isIsolationViolation({ code: 'ERR_ISOLATION_VIOLATION' })).toBe(false);
  });
});
