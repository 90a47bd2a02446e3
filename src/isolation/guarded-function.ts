import { settleArguments } from './call-arguments.ts';
import { isAllowedTarget } from './isolation-allowance.ts';
import { type GuardRuntime, isolationRegistry } from './isolation-registry.ts';
import type { IsolationViolation, ViolationKind } from './isolation-violation.ts';

/** How a blocked call fails: it throws, calls its callback with the error on a later tick, or rejects. */
export type RefusalForm = 'throw' | 'callback' | 'promise';

/** What a guarded function checks and how it refuses. */
export interface GuardSpec {
  readonly kind: ViolationKind;
  /** Named in the violation, e.g. `fs.promises.writeFile`. */
  readonly api: string;
  readonly refuse: RefusalForm | ((violation: IsolationViolation, args: readonly unknown[]) => unknown);
  /** Returns what the call would reach when that is forbidden, or undefined when the call may run. */
  readonly inspect: (runtime: GuardRuntime, args: readonly unknown[], self: unknown) => string | undefined;
  /**
   * Inspect again when an allowed call of the callback or promise form completes: a path checked before the call
   * can change (a directory swapped for a symlink) while the call waits for the thread pool. What the second look
   * finds is recorded as raced.
   */
  readonly recheck?: boolean;
}

/** Calls `original` and, once it succeeds, inspects the same arguments again (see {@link GuardSpec.recheck}). */
function callAndRecheck(
  spec: GuardSpec,
  runtime: GuardRuntime,
  call: AnyFunction,
  self: unknown,
  args: unknown[],
): unknown {
  const recheck = (): void => {
    const target = spec.inspect(runtime, args, self);
    if (target !== undefined) runtime.detected(spec.kind, target, spec.api);
  };
  if (spec.refuse === 'promise') {
    return (call.apply(self, args) as Promise<unknown>).then((value) => {
      recheck();
      return value;
    });
  }
  const last = args.length - 1;
  const callback = args[last];
  if (spec.refuse !== 'callback' || typeof callback !== 'function') return call.apply(self, args);
  const checked = [...args];
  checked[last] = function (this: unknown, error: unknown, ...rest: unknown[]): unknown {
    if (error == null) recheck();
    return (callback as AnyFunction).call(this, error, ...rest);
  };
  return call.apply(self, checked);
}

type AnyFunction = (this: unknown, ...args: unknown[]) => unknown;

function refuse(spec: GuardSpec, violation: IsolationViolation, args: readonly unknown[]): unknown {
  if (typeof spec.refuse === 'function') return spec.refuse(violation, args);
  if (spec.refuse === 'promise') return Promise.reject(violation);
  const callback = args.at(-1);
  if (spec.refuse === 'callback' && typeof callback === 'function') {
    process.nextTick(callback as (error: Error) => void, violation);
    return undefined;
  }
  throw violation;
}

/**
 * Wraps `original` so that, while a guard is installed, each call is inspected first. The wrapper reads the
 * guard from the process registry on every call, so a reference captured before or during a run is inert once
 * the guard is uninstalled and obeys whichever guard is installed next.
 */
export function guardFunction<F>(original: F, spec: GuardSpec): F {
  const call = original as unknown as AnyFunction;
  const registry = isolationRegistry();
  const guarded = function (this: unknown, ...given: unknown[]): unknown {
    const runtime = registry.runtime;
    if (runtime === undefined || runtime.suppressed) return call.apply(this, given);
    const args = settleArguments(given);
    const target = spec.inspect(runtime, args, this);
    if (target === undefined)
      return spec.recheck === true ? callAndRecheck(spec, runtime, call, this, args) : call.apply(this, args);
    if (isAllowedTarget(registry, spec.kind, target))
      return runtime.passThrough(() => call.apply(this, args));
    const violation = runtime.violate(spec.kind, target, spec.api);
    if (violation === undefined) return runtime.passThrough(() => call.apply(this, args));
    return refuse(spec, violation, args);
  };
  Object.defineProperties(guarded, { name: { value: call.name }, length: { value: call.length } });
  return guarded as F;
}

/** Wraps a class so `new` is inspected like {@link guardFunction}; blocked construction throws. */
export function guardConstructor<C extends object>(original: C, spec: Omit<GuardSpec, 'refuse'>): C {
  const registry = isolationRegistry();
  return new Proxy(original, {
    construct(target, args, newTarget) {
      const construct = (): object =>
        Reflect.construct(target as new (...a: unknown[]) => object, args, newTarget);
      const runtime = registry.runtime;
      if (runtime === undefined || runtime.suppressed) return construct();
      const found = spec.inspect(runtime, args, undefined);
      if (found === undefined) return construct();
      const violation = runtime.violate(spec.kind, found, spec.api);
      if (violation !== undefined) throw violation;
      return runtime.passThrough(construct);
    },
  });
}
