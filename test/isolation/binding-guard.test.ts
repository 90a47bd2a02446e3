import { constants, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as processNamespace from 'node:process';
import { describe, expect, it } from 'vitest';
import type { RawBindings } from '../../fixtures/isolation/support/raw-bindings.ts';
import { BINDING_RULES } from '../../src/isolation/binding-rules.ts';
import {
  type IsolationGuard,
  type IsolationOptions,
  installIsolationGuard,
  isIsolationViolation,
} from '../../src/isolation/index.ts';
import { escapeContextPerTest } from '../support/escape-context-per-test.ts';

type Lookup = (name: string) => Record<string, unknown>;

/** The doors as Node hands them out, taken before any guard ran. */
const original = {
  binding: process.binding as unknown as Lookup,
  linkedBinding: process._linkedBinding,
  dlopen: process.dlopen,
};

const scope = escapeContextPerTest();

const install = async (options: IsolationOptions = {}): Promise<IsolationGuard> => {
  scope.guard = await installIsolationGuard(scope.context.guardOptions(options));
  return scope.guard;
};

const thrown = (run: () => unknown): unknown => {
  try {
    run();
  } catch (error) {
    return error;
  }
  return undefined;
};

describe('process.binding, process._linkedBinding and process.dlopen under the guard', () => {
  it('are replaced while installed and restored exactly (===), ESM named exports of node:process too', async () => {
    const installed = await install();
    expect(process.binding).not.toBe(original.binding);
    expect(process._linkedBinding).not.toBe(original.linkedBinding);
    expect(process.dlopen).not.toBe(original.dlopen);
    expect(processNamespace.binding).toBe(process.binding);
    installed.uninstall();
    expect(process.binding).toBe(original.binding);
    expect(process._linkedBinding).toBe(original.linkedBinding);
    expect(process.dlopen).toBe(original.dlopen);
    expect(processNamespace.binding).toBe(original.binding);
    expect(processNamespace.dlopen).toBe(original.dlopen);
  });

  it('hands out the real object of every binding that cannot write, start a process or connect', async () => {
    await install();
    // `util` and `natives` are rebuilt on each call, so identity is checked on the others.
    const harmless = [
      'constants',
      'buffer',
      'os',
      'uv',
      'tty_wrap',
      'stream_wrap',
      'fs_event_wrap',
      'js_stream',
      'tls_wrap',
    ];
    for (const name of harmless) expect(process.binding(name as 'fs'), name).toBe(original.binding(name));
    expect(Object.keys(BINDING_RULES).filter((name) => harmless.includes(name))).toEqual([]);
  });

  it('hands out one checked view per binding and leaves the real one, shared with Node, untouched', async () => {
    const real = original.binding('fs');
    const realOpen = real.open;
    await install();
    const view = process.binding('fs');
    expect(view).not.toBe(real);
    expect(process.binding('fs')).toBe(view);
    expect(real.open).toBe(realOpen);
    // Node's own fs goes through the real binding: allowed writes still work, protected ones are refused once.
    const { writeFileSync } = await import('node:fs');
    writeFileSync(join(scope.context.scratch, 'public.txt'), 'public');
    expect(readFileSync(join(scope.context.scratch, 'public.txt'), 'utf8')).toBe('public');
  });

  it('lets reads and unprotected writes through the fs view, like the public fs', async () => {
    const installed = await install();
    const fs = process.binding('fs');
    const scratchFile = join(scope.context.scratch, 'raw.txt');
    fs.writeFileUtf8(scratchFile, 'raw', constants.O_WRONLY | constants.O_CREAT, 0o644);
    const fd = fs.open(scope.context.existingMessage, constants.O_RDONLY, 0);
    fs.close(fd);
    expect(
      (fs as unknown as Record<string, (path: string) => boolean>).existsSync?.(scope.context.inbox),
    ).toBe(true);
    expect(readFileSync(scratchFile, 'utf8')).toBe('raw');
    expect(installed.violations()).toEqual([]);
  });

  it('classifies every function of the fs binding as a checked writer or a read', () => {
    const rules = BINDING_RULES.fs;
    const functions = Object.entries(original.binding('fs'))
      .filter(([, value]) => typeof value === 'function' && !Object.hasOwn(value, 'prototype'))
      .map(([name]) => name);
    const unclassified = functions.filter(
      (name) => rules?.functions?.[name] === undefined && rules?.otherFunctions?.readOnly.has(name) !== true,
    );
    expect(unclassified).toEqual([]);
  });

  it('names the command of a process_wrap spawn in either form: options (Node 20, 22) or positional (Node 24)', async () => {
    const installed = await install();
    const { Process } = process.binding('process_wrap') as unknown as RawBindings['process_wrap'];
    const options = { file: '/bin/echo', args: ['/bin/echo', 'hi'], envPairs: [], stdio: [] };
    const forms = [
      () => new Process().spawn(options),
      () => new Process().spawn(options.file, options.args, undefined, [], [], 0),
    ];
    for (const spawn of forms) expect(isIsolationViolation(thrown(spawn))).toBe(true);
    expect(installed.violations().map(({ kind, target }) => `${kind}: ${target}`)).toEqual([
      'process: /bin/echo hi',
      'process: /bin/echo hi',
    ]);
  });

  it('checks handles made from a view, also when the method is taken from the prototype', async () => {
    const installed = await install();
    const { TCP, TCPConnectWrap, constants: tcp } = process.binding('tcp_wrap');
    const socket = new TCP(tcp.SOCKET);
    expect(socket).toBeInstanceOf(original.binding('tcp_wrap').TCP as new () => object);
    const error = thrown(() => TCP.prototype.connect.call(socket, new TCPConnectWrap(), '127.0.0.1', 9));
    socket.close();
    expect(isIsolationViolation(error)).toBe(true);
    expect(installed.violations()).toMatchObject([
      { kind: 'network', api: "process.binding('tcp_wrap').TCP.connect", target: '127.0.0.1:9' },
    ]);
  });

  it('with allowNetwork hands out network members unchecked, and still checks processes and files', async () => {
    const installed = await install({ allowNetwork: true });
    const real = original.binding('tcp_wrap') as unknown as RawBindings['tcp_wrap'];
    expect(process.binding('tcp_wrap').TCP.prototype.connect).toBe(real.TCP.prototype.connect);
    expect(process.binding('cares_wrap').getaddrinfo).toBe(original.binding('cares_wrap').getaddrinfo);
    const path = join(scope.context.inbox, 'allowed-network.md');
    expect(() => process.binding('fs').writeFileUtf8(path, 'x', constants.O_WRONLY, 0)).toThrow(
      /protected paths/,
    );
    expect(installed.violations()).toMatchObject([{ kind: 'fs-write', target: path }]);
  });

  it('in observe mode records a binding write once and lets it happen', async () => {
    const installed = await install({ mode: 'observe' });
    const path = join(scope.context.inbox, 'observed.md');
    process.binding('fs').writeFileUtf8(path, 'observed', constants.O_WRONLY | constants.O_CREAT, 0o644);
    expect(readFileSync(path, 'utf8')).toBe('observed');
    expect(installed.violations()).toMatchObject([
      { kind: 'fs-write', api: "process.binding('fs').writeFileUtf8", target: path, blocked: false },
    ]);
  });

  it('leaves a view captured during a run inert afterwards, and obeying the next guard', async () => {
    const path = join(scope.context.inbox, 'captured.md');
    const first = await install();
    const captured = process.binding('fs');
    first.uninstall();
    captured.writeFileUtf8(path, 'after', constants.O_WRONLY | constants.O_CREAT, 0o644);
    expect(existsSync(path)).toBe(true);
    const second = await install();
    expect(() => captured.writeFileUtf8(path, 'again', constants.O_WRONLY, 0)).toThrow(/protected paths/);
    expect(second.violations()).toHaveLength(1);
  });

  it('refuses every process._linkedBinding and process.dlopen call as native', async () => {
    const installed = await install();
    const addon = join(scope.context.scratch, 'addon.node');
    expect(isIsolationViolation(thrown(() => process._linkedBinding('fs')))).toBe(true);
    expect(isIsolationViolation(thrown(() => process.dlopen({ exports: {} }, addon)))).toBe(true);
    expect(installed.violations()).toMatchObject([
      { kind: 'native', api: 'process._linkedBinding', target: 'fs', blocked: true },
      { kind: 'native', api: 'process.dlopen', target: addon, blocked: true },
    ]);
  });
});
