import { type IsolationRegistry, isolationRegistry } from './isolation-registry.ts';
import type { ViolationKind } from './isolation-violation.ts';

/**
 * One exact target the isolation guard lets through while a run holds it: a loopback connection to the broker
 * the run started or was given, the broker process itself, or the real core in comparison mode's temporary
 * workspace. Everything else stays forbidden.
 */
export interface IsolationAllowance {
  /**
   * `network` for a connection, `process` for a child process or a signal to another process, `module` for the
   * real core's own check.
   */
  readonly kind: Extract<ViolationKind, 'network' | 'process' | 'module'>;
  /**
   * Exactly as the guard names the attempt: `host:port` for a connection, the command line for a process,
   * `signal SIGKILL to pid 4242` for a signal (see `signalTarget`), the real core module's file for `module`.
   */
  readonly target: string;
  /** Why the run allows it; the run reports it with this text. */
  readonly reason: string;
}

const LOOPBACK_HOSTS = ['127.0.0.1', 'localhost', '::1', '[::1]'];

/** True for the loopback names a broker allowance may use (127.0.0.0/8, localhost, ::1). */
export function isLoopbackHost(host: string): boolean {
  return LOOPBACK_HOSTS.includes(host) || /^127(\.\d{1,3}){3}$/.test(host);
}

function allowances(registry: IsolationRegistry): IsolationAllowance[] {
  registry.allowances ??= [];
  return registry.allowances;
}

/**
 * Lets the guard pass `allowance.target` (and nothing else) until the returned function withdraws it.
 * Allowances live in the process-wide registry, so they hold whichever guard is installed now or next.
 * @example
 * const withdraw = allowIsolationTarget({ kind: 'network', target: '127.0.0.1:6390', reason: 'embedded redis-server' });
 */
export function allowIsolationTarget(allowance: IsolationAllowance): () => void {
  const list = allowances(isolationRegistry());
  const held = { ...allowance };
  list.push(held);
  return () => {
    const index = list.indexOf(held);
    if (index >= 0) list.splice(index, 1);
  };
}

/**
 * Allows loopback connections to one port under every loopback name a client may dial; throws nothing and
 * allows nothing for a host that is not loopback (such a broker stays forbidden, as any other host).
 */
export function allowLoopbackPort(host: string, port: number, reason: string): () => void {
  if (!isLoopbackHost(host)) return () => {};
  const withdraw = [...new Set([host, ...LOOPBACK_HOSTS])].map((name) =>
    allowIsolationTarget({ kind: 'network', target: `${name}:${port}`, reason }),
  );
  return () => {
    for (const undo of withdraw) undo();
  };
}

/** The allowances held now, oldest first (for reports). */
export function isolationAllowances(): readonly IsolationAllowance[] {
  return [...(isolationRegistry().allowances ?? [])];
}

/** True when an allowance covers this attempt exactly; the patched functions ask before recording a violation. */
export function isAllowedTarget(registry: IsolationRegistry, kind: ViolationKind, target: string): boolean {
  return (
    registry.allowances?.some((allowance) => allowance.kind === kind && allowance.target === target) === true
  );
}
