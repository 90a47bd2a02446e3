import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createEscapeContext, ESCAPES, type EscapeContext } from '../../fixtures/isolation/index.ts';
import { PATH_FORM_ESCAPES } from '../../fixtures/isolation/path-form-escapes.ts';
import { installIsolationGuard } from '../../src/isolation/index.ts';
import { expectEachCaughtUnderGuard } from '../support/escape-assertions.ts';

let context: EscapeContext;

beforeEach(async () => {
  context = await createEscapeContext();
});

afterEach(async () => {
  await context.close();
});

describe('path forms, dangling links and read flags (fixtures/isolation/escapes, issue 19)', () => {
  it('are part of the corpus every runner uses', () => {
    expect(ESCAPES).toEqual(expect.arrayContaining([...PATH_FORM_ESCAPES]));
  });

  // A corpus entry that changes nothing would pass under any guard.
  for (const attempt of PATH_FORM_ESCAPES) {
    it(`change an inbox without the guard: ${attempt.name}`, async () => {
      const before = context.fingerprint();
      await attempt.prepare?.(context);
      await attempt.attempt(context).catch(() => undefined);
      await attempt.cleanup?.(context);
      expect(context.fingerprint()).not.toBe(before);
    });
  }

  it('are each caught under the guard, and no inbox file appears or changes', async () => {
    const before = context.fingerprint();
    await expectEachCaughtUnderGuard(PATH_FORM_ESCAPES, context);
    expect(context.fingerprint()).toBe(before);
  });
});

describe('values read once: the guard checks exactly what Node uses', () => {
  it('a URL subclass whose pathname changes on a second read writes where the guard looked', async () => {
    const harmless = join(context.scratch, 'first-read.md');
    const inboxFile = join(context.inbox, 'INBOX_MESSAGE_second_read.md');
    let reads = 0;
    class ShiftyUrl extends URL {}
    Object.defineProperty(ShiftyUrl.prototype, 'pathname', {
      get(): string {
        reads += 1;
        return reads === 1 ? pathToFileURL(harmless).pathname : pathToFileURL(inboxFile).pathname;
      },
    });
    const before = context.fingerprint();
    const guard = await installIsolationGuard(context.guardOptions());
    try {
      writeFileSync(new ShiftyUrl(pathToFileURL(harmless)), 'Hello');
    } finally {
      guard.uninstall();
    }
    expect(readFileSync(harmless, 'utf8')).toBe('Hello');
    expect(existsSync(inboxFile)).toBe(false);
    expect(context.fingerprint()).toBe(before);
    expect(reads).toBe(1);
  });

  it('net.connect options with a port getter are copied once: refused, and nothing connects', async () => {
    const port = context.tcpPort;
    let reads = 0;
    const options = {
      host: '127.0.0.1',
      get port(): number {
        reads += 1;
        return reads === 1 ? port : (undefined as unknown as number);
      },
    };
    const guard = await installIsolationGuard(context.guardOptions());
    let socket: Socket | undefined;
    try {
      expect(() => {
        socket = connect(options);
      }).toThrow(`connecting to \`127.0.0.1:${port}\``);
    } finally {
      guard.uninstall();
      socket?.destroy();
    }
    await context.flushCanaries();
    expect(context.escapedArrivals()).toEqual({ tcp: 0, udp: 0 });
    expect(reads).toBe(1);
  });
});
