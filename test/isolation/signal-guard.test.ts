import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import {
  allowIsolationTarget,
  type IsolationGuard,
  installIsolationGuard,
  isIsolationViolation,
  signalTarget,
} from '../../src/isolation/index.ts';
import { processAlive } from '../support/process-alive.ts';

let guard: IsolationGuard | undefined;
const children: number[] = [];
afterEach(() => {
  guard?.uninstall();
  guard = undefined;
  for (const pid of children.splice(0)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {}
  }
});

function attempt(call: () => unknown): unknown {
  try {
    return call();
  } catch (error) {
    return error;
  }
}

describe('signals to other processes under the isolation guard', () => {
  it('names what a signal would reach, as Node resolves it, and nothing for what stays inside', () => {
    expect(signalTarget(4242, 'SIGUSR1')).toBe('signal SIGUSR1 to pid 4242');
    expect(signalTarget(4242)).toBe('signal SIGTERM to pid 4242');
    expect(signalTarget('4242', '')).toBe('signal SIGTERM to pid 4242');
    expect(signalTarget(4242, 9)).toBe('signal SIGKILL to pid 4242');
    expect(signalTarget(0, 'SIGINT')).toBe('signal SIGINT to pid 0 (its process group)');
    expect(signalTarget(-1, 'SIGKILL')).toBe('signal SIGKILL to pid -1 (every process)');
    expect(signalTarget(-77, 'SIGHUP')).toBe('signal SIGHUP to pid -77 (process group 77)');
    // A probe, the test's own process, and calls Node refuses before sending anything.
    expect(signalTarget(4242, 0)).toBeUndefined();
    expect(signalTarget(-1, 0)).toBeUndefined();
    expect(signalTarget(process.pid, 'SIGKILL')).toBeUndefined();
    expect(signalTarget(4242, 'SIGNOPE')).toBeUndefined();
    expect(signalTarget(4242, 'constructor')).toBeUndefined();
    expect(signalTarget(1.5, 'SIGTERM')).toBeUndefined();
    expect(signalTarget(Symbol('pid'), 'SIGTERM')).toBeUndefined();
    expect(signalTarget(10n, 'SIGTERM')).toBeUndefined();
  });

  it('refuses a signal to another process, lets probes through, and passes an allowed one', async () => {
    const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)']);
    children.push(child.pid!);
    guard = await installIsolationGuard({ esmImportHook: false });
    const refused = attempt(() => process.kill(child.pid!, 'SIGTERM'));
    expect(isIsolationViolation(refused)).toBe(true);
    expect(refused).toMatchObject({
      violation: { kind: 'process', target: `signal SIGTERM to pid ${child.pid}`, blocked: true },
    });
    expect((refused as Error).message).toContain(
      `Expected no signals to other processes during a stress run, got \`process.kill\` sending \`signal SIGTERM to pid ${child.pid}\``,
    );
    expect(isIsolationViolation(attempt(() => process.kill(0)))).toBe(true);
    expect(process.kill(child.pid!, 0)).toBe(true);
    expect(processAlive(child.pid!)).toBe(true);

    const withdraw = allowIsolationTarget({
      kind: 'process',
      target: signalTarget(child.pid, 'SIGTERM')!,
      reason: 'a helper this test started',
    });
    const exited = once(child, 'exit');
    expect(process.kill(child.pid!, 'SIGTERM')).toBe(true);
    withdraw();
    expect(await exited).toEqual([null, 'SIGTERM']);
    expect(guard.violations().map((v) => [v.api, v.target])).toEqual([
      ['process.kill', `signal SIGTERM to pid ${child.pid}`],
      ['process.kill', 'signal SIGTERM to pid 0 (its process group)'],
    ]);
  });

  it('records and lets the signal through in observe mode', async () => {
    const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)']);
    children.push(child.pid!);
    guard = await installIsolationGuard({ esmImportHook: false, mode: 'observe' });
    const exited = once(child, 'exit');
    expect(process.kill(child.pid!, 'SIGKILL')).toBe(true);
    expect(await exited).toEqual([null, 'SIGKILL']);
    expect(guard.violations()).toMatchObject([{ api: 'process.kill', blocked: false }]);
    guard.uninstall();
    guard = undefined;
    expect(process.kill.name).toBe('kill');
  });
});
