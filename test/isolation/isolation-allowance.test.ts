import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { afterEach, describe, expect, it } from 'vitest';
import {
  allowIsolationTarget,
  allowLoopbackPort,
  type IsolationGuard,
  installIsolationGuard,
  isIsolationViolation,
  isLoopbackHost,
  isolationAllowances,
} from '../../src/isolation/index.ts';

const require = createRequire(import.meta.url);
const net = require('node:net') as typeof import('node:net');

let guard: IsolationGuard | undefined;
afterEach(() => {
  guard?.uninstall();
  guard = undefined;
});

/** Dials 127.0.0.1:port (nothing listens): resolves to the violation the guard threw, or 'dialled'. */
function dial(host: string, port: number): unknown {
  try {
    const socket = net.connect({ host, port });
    socket.on('error', () => undefined);
    socket.destroy();
    return 'dialled';
  } catch (error) {
    return error;
  }
}

describe('isolation allowances (a broker the run started or was given)', () => {
  it('let through exactly the allowed loopback port, under every loopback name, until withdrawn', async () => {
    guard = await installIsolationGuard({ esmImportHook: false });
    const withdraw = allowLoopbackPort('127.0.0.1', 6399, 'embedded redis-server');
    expect(dial('127.0.0.1', 6399)).toBe('dialled');
    expect(dial('localhost', 6399)).toBe('dialled');
    expect(isIsolationViolation(dial('127.0.0.1', 6398))).toBe(true);
    expect(isolationAllowances().map((a) => a.target)).toContain('127.0.0.1:6399');
    expect(guard.violations().map((v) => v.target)).toEqual(['127.0.0.1:6398']);
    withdraw();
    expect(isolationAllowances()).toEqual([]);
    expect(isIsolationViolation(dial('127.0.0.1', 6399))).toBe(true);
  });

  it('never allow a host that is not loopback', async () => {
    expect(isLoopbackHost('127.3.2.1')).toBe(true);
    expect(isLoopbackHost('10.0.0.5')).toBe(false);
    guard = await installIsolationGuard({ esmImportHook: false });
    const withdraw = allowLoopbackPort('10.0.0.5', 6379, 'a remote broker');
    expect(isolationAllowances()).toEqual([]);
    withdraw();
  });

  it('let through exactly the allowed command line, nothing else', async () => {
    guard = await installIsolationGuard({ esmImportHook: false });
    const withdraw = allowIsolationTarget({ kind: 'process', target: 'true --allowed', reason: 'test' });
    try {
      expect(spawnSync('true', ['--allowed']).status).toBe(0);
      expect(() => spawnSync('true', ['--other'])).toThrow(/child process/i);
    } finally {
      withdraw();
    }
    expect(guard.violations().map((v) => v.target)).toEqual(['true --other']);
  });
});
