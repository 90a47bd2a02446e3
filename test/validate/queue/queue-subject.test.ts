import { describe, expect, it } from 'vitest';
import { StressError } from '../../../src/protocol/index.ts';
import {
  QUEUE_KIT,
  queueSubjectFromModule,
  REFERENCE_QUEUE_SUBJECT,
} from '../../../src/validate/queue/index.ts';

describe('queueSubjectFromModule', () => {
  it('hands the kit to the factory and keeps the reference for what the module does not replace', () => {
    let received: unknown;
    const openQueue = REFERENCE_QUEUE_SUBJECT.openQueue;
    const subject = queueSubjectFromModule(
      {
        createQueueSubject: (kit: unknown) => {
          received = kit;
          return { name: 'mine', openQueue };
        },
      },
      'mine.ts',
    );
    expect(received).toBe(QUEUE_KIT);
    expect(subject.name).toBe('mine');
    expect(subject.openQueue).toBe(openQueue);
    expect(subject.createProcessor).toBe(REFERENCE_QUEUE_SUBJECT.createProcessor);
  });

  it('accepts a default export and names the subject after the module when it gives no name', () => {
    const subject = queueSubjectFromModule({ default: () => ({}) }, 'queue.ts');
    expect(subject.name).toBe('queue.ts');
  });

  it('rejects a module without a factory, and parts that are not functions', () => {
    expect(() => queueSubjectFromModule({ other: 1 }, 'x.ts')).toThrow(
      /export `createQueueSubject\(kit\)`.*got exports other/,
    );
    expect(() => queueSubjectFromModule({ other: 1 }, 'x.ts')).toThrow(StressError);
    expect(() => queueSubjectFromModule({ default: () => ({ openQueue: 3 }) }, 'x.ts')).toThrow(/openQueue/);
  });
});
