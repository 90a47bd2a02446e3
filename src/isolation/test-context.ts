import { createHook, executionAsyncResource } from 'node:async_hooks';

const TEST = Symbol('vitest-stress.test');

/** An async resource (a promise, a timer, a request) as the context sees it: tagged with its test, or not. */
type Tagged = { [TEST]?: string };

const isThenable = (value: unknown): value is PromiseLike<unknown> =>
  typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function';

/**
 * Resources that call back at once, or never on their own (a file handle's or a resolver's work goes through
 * requests of their own): no test's work waits in them.
 */
const PROMPT = new Set([
  'PROMISE',
  'TickObject',
  'Microtask',
  'FILEHANDLE',
  'DNSCHANNEL',
  'ELDHISTOGRAM',
  'PerformanceObserver',
]);

type Resource = { readonly _destroyed?: unknown; readonly hasRef?: unknown };

/**
 * A timer, handle or request a test created, which may still call back into that test's code. A timer says when it
 * is done (`_destroyed`), a handle whether it is open and referenced (`hasRef`, true until its close completes);
 * any other resource is a request, done once its callback ran (the hook's `before`). Anything collected is done.
 */
class Outstanding {
  readonly #resource: WeakRef<Resource>;
  called = false;

  constructor(resource: Resource) {
    this.#resource = new WeakRef(resource);
  }

  /** A timer or a handle answers for itself; a request needs its `before` noted. */
  static answersForItself(resource: Resource): boolean {
    return typeof resource._destroyed === 'boolean' || typeof resource.hasRef === 'function';
  }

  get pending(): boolean {
    if (this.called) return false;
    const resource = this.#resource.deref();
    if (resource === undefined) return false;
    if (typeof resource._destroyed === 'boolean') return !resource._destroyed;
    if (typeof resource.hasRef === 'function') return (resource.hasRef as () => boolean).call(resource);
    return true;
  }
}

/**
 * The test whose code runs now, per async context: AsyncLocalStorage's design on Node 20 (each async resource
 * carries the test of the resource it was created in), plus {@link TestContext.runAlone}.
 *
 * Following every promise costs on Node 20: the hook runs for each promise created and around each reaction, a
 * quarter of a stress run's time. With the hook off, a promise reaction no longer runs in its own context but in
 * that of whatever drained the microtasks, so `runAlone` switches it off only while nothing but its test can run:
 * that test is the only one running, and no timer, handle or request another test created is pending. Resources
 * created meanwhile carry no test; the run's owner answers for them until the run returns. See decision 0015.
 */
export class TestContext {
  readonly #hook = createHook({
    init: (asyncId, type, _trigger, resource: Tagged & Resource) => {
      const test = (executionAsyncResource() as Tagged)[TEST];
      if (test === undefined) return;
      resource[TEST] = test;
      if (!PROMPT.has(type)) this.#remember(test, asyncId, resource);
    },
    before: (asyncId) => {
      if (this.#requests.size === 0) return;
      const request = this.#requests.get(asyncId);
      if (request === undefined) return;
      request.called = true;
      this.#requests.delete(asyncId);
    },
  });
  #tracking = false;
  #installed = true;
  /** Tests whose `run` has not settled, with how many runs each. */
  readonly #running = new Map<string, number>();
  /** The test of the runs in `runAlone` with the hook off, and how many there are. */
  #owner: string | undefined;
  #ownerRuns = 0;
  /** Timers, handles and requests each test created, possibly still pending; pruned as they finish. */
  readonly #outstanding = new Map<string, Outstanding[]>();
  #remembered = 0;
  #pruneAt = 1024;
  /** The outstanding requests by async id, for the hook's `before`. */
  readonly #requests = new Map<number, Outstanding>();

  /** The test of the code running now: its resource's tag, else the owner of a run alone, else undefined. */
  current(): string | undefined {
    return (executionAsyncResource() as Tagged)[TEST] ?? this.#owner;
  }

  /** Runs `run` as test `name`: what it starts, now and later, is tagged `name`. */
  run<T>(name: string, run: () => T): T {
    this.#track();
    this.#running.set(name, (this.#running.get(name) ?? 0) + 1);
    const resource = executionAsyncResource() as Tagged;
    const previous = resource[TEST];
    resource[TEST] = name;
    let result: T;
    try {
      result = run();
    } catch (error) {
      this.#settled(name);
      throw error;
    } finally {
      resource[TEST] = previous;
    }
    if (isThenable(result)) {
      const settled = (): void => this.#settled(name);
      result.then(settled, settled);
    } else this.#settled(name);
    return result;
  }

  /**
   * Runs `run`, work of the current test, with the hook off while nothing else can run (see the class comment);
   * otherwise, or outside any test, it simply runs `run`. The hook comes back on when another test starts and
   * when the last run alone returns.
   */
  runAlone<T>(run: () => Promise<T>): Promise<T> {
    const owner = this.current();
    if (owner === undefined) return run();
    // Switched off only in the next microtask: the caller's `await` on the returned promise is created now, with
    // the hook on, so the caller resumes in its own test's context.
    let joined = false;
    return Promise.resolve()
      .then(() => {
        joined = this.#join(owner);
        return run();
      })
      .finally(() => {
        if (joined) this.#leave();
      });
  }

  /** Stops following async work for good; `run` and `runAlone` then only run their callbacks. */
  disable(): void {
    this.#installed = false;
    this.#owner = undefined;
    this.#ownerRuns = 0;
    this.#untrack();
    this.#outstanding.clear();
    this.#requests.clear();
  }

  #join(owner: string): boolean {
    if (!this.#installed) return false;
    if (this.#owner === owner) {
      this.#ownerRuns++;
      return true;
    }
    if (this.#owner !== undefined || this.#running.size !== 1 || !this.#running.has(owner)) return false;
    if (this.#othersPending(owner)) return false;
    this.#owner = owner;
    this.#ownerRuns = 1;
    this.#untrack();
    return true;
  }

  #leave(): void {
    if (--this.#ownerRuns > 0) return;
    this.#owner = undefined;
    this.#track();
  }

  #settled(name: string): void {
    const runs = (this.#running.get(name) ?? 1) - 1;
    if (runs > 0) this.#running.set(name, runs);
    else this.#running.delete(name);
  }

  #remember(test: string, asyncId: number, resource: Resource): void {
    const outstanding = new Outstanding(resource);
    if (!Outstanding.answersForItself(resource)) this.#requests.set(asyncId, outstanding);
    const list = this.#outstanding.get(test);
    if (list === undefined) this.#outstanding.set(test, [outstanding]);
    else list.push(outstanding);
    if (++this.#remembered >= this.#pruneAt) {
      this.#prune();
      this.#pruneAt = Math.max(1024, this.#remembered * 2);
    }
  }

  /** Whether a test other than `owner` still has a timer, handle or request pending. */
  #othersPending(owner: string): boolean {
    this.#prune();
    for (const test of this.#outstanding.keys()) if (test !== owner) return true;
    return false;
  }

  /** Drops what finished; a test with nothing pending leaves the map. */
  #prune(): void {
    let remembered = 0;
    for (const [test, list] of this.#outstanding) {
      const pending = list.filter((outstanding) => outstanding.pending);
      if (pending.length === 0) this.#outstanding.delete(test);
      else this.#outstanding.set(test, pending);
      remembered += pending.length;
    }
    for (const [asyncId, request] of this.#requests) if (!request.pending) this.#requests.delete(asyncId);
    this.#remembered = remembered;
  }

  #track(): void {
    if (this.#tracking || !this.#installed) return;
    this.#tracking = true;
    this.#hook.enable();
  }

  #untrack(): void {
    if (!this.#tracking) return;
    this.#tracking = false;
    this.#hook.disable();
  }
}
