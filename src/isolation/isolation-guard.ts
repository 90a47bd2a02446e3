import { devNull } from 'node:os';
import { StressError } from '../protocol/index.ts';
import { ActiveIsolationGuard } from './active-isolation-guard.ts';
import { builtins } from './builtin-modules.ts';
import { esmImportHook } from './esm-import-hook.ts';
import {
  type IsolationMode,
  type IsolationOptions,
  type ResolvedIsolationOptions,
  resolveIsolationOptions,
} from './isolation-options.ts';
import { isolationRegistry } from './isolation-registry.ts';
import type { IsolationViolationRecord, ViolationKind } from './isolation-violation.ts';

/** An escape found outside the patched functions (for example by a Vitest resolve hook), to record like the rest. */
export interface IsolationAttempt {
  readonly kind: ViolationKind;
  readonly target: string;
  readonly api: string;
  /** `file:line:column` to blame; captured from the current stack when omitted, none when given as undefined. */
  readonly frame?: string | undefined;
}

/** A running isolation guard. It is a plain object, safe to share through `globalThis` across module copies. */
export interface IsolationGuard {
  readonly mode: IsolationMode;
  readonly options: ResolvedIsolationOptions;
  /** False once {@link IsolationGuard.uninstall} ran. */
  readonly installed: boolean;
  /** Every violation since install, oldest first. */
  violations(): readonly IsolationViolationRecord[];
  /**
   * The violations not taken before: all of them, or those `select` accepts (the others stay for whoever collects
   * them). Call it after each test with `(record) => record.test === name` to collect that test's escapes.
   */
  takeViolations(select?: (record: IsolationViolationRecord) => boolean): readonly IsolationViolationRecord[];
  /**
   * Runs `run` as test `name`: every violation of the code it starts (timers, promises, events, even after it
   * returned) is blamed on `name`, whichever test runs when it fires. Takes precedence over `setCurrentTest`.
   */
  runInTest<T>(name: string, run: () => T): T;
  /**
   * Runs `run`, work of the test running now (a stress run), at full speed: while that test is the only one in a
   * `runInTest`, async work is not followed promise by promise (a quarter of a run's time on Node 20), and what
   * `run` starts is blamed on that test until `run` settles. Work it leaves pending past that point counts as code
   * outside any test's context (blamed on the `setCurrentTest` test, if any). Under `test.concurrent`, or outside
   * any test, it simply calls `run`. The stress fixture runs every engine run and chaos property this way.
   */
  runAlone<T>(run: () => Promise<T>): Promise<T>;
  /**
   * Names the running test for the violations that follow outside any `runInTest`; undefined falls back to
   * `options.currentTest`.
   */
  setCurrentTest(name: string | undefined): void;
  /** Records `attempt`; in block mode throws it as an {@link IsolationViolation}. */
  enforce(attempt: IsolationAttempt): void;
  /** Restores every patched function and switches the import hook off; safe to call twice. */
  uninstall(): void;
  /** The properties the guard replaced while installed, for checks that each one was restored. */
  patchedProperties(): readonly { readonly target: object; readonly key: PropertyKey }[];
}

/** Opens the null device once to reach `FileHandle.prototype`, which Node does not export. */
async function fileHandlePrototype(): Promise<object> {
  const registry = isolationRegistry();
  if (registry.fileHandlePrototype === undefined) {
    const handle = await builtins.fs.promises.open(devNull, 'r');
    registry.fileHandlePrototype = Object.getPrototypeOf(handle) as object;
    await handle.close();
  }
  return registry.fileHandlePrototype;
}

function alreadyInstalled(): StressError {
  return new StressError(
    'ERR_GUARD_INSTALLED',
    'Expected no isolation guard to be installed in this process, got one already installed. Call `uninstall()` on it (see `getActiveIsolationGuard()`) first.',
  );
}

/**
 * Installs the isolation guard for the duration of a stress run: file writes under protected roots, child
 * processes, network, workers and forbidden modules are recorded and, in block mode, refused with an
 * {@link IsolationViolation}. Only one guard can be installed per process.
 * @example
 * const guard = await installIsolationGuard({ root: process.cwd(), allowedPaths: ['logs'] });
 * try { await run(); } finally { guard.uninstall(); }
 * expect(guard.violations()).toEqual([]);
 */
export async function installIsolationGuard(options: IsolationOptions = {}): Promise<IsolationGuard> {
  const resolved = resolveIsolationOptions(options);
  if (isolationRegistry().runtime !== undefined) throw alreadyInstalled();
  const prototype = await fileHandlePrototype();
  // Checked again: another install may have finished while this one waited.
  if (isolationRegistry().runtime !== undefined) throw alreadyInstalled();
  const guard = new ActiveIsolationGuard(resolved, resolved.esmImportHook ? esmImportHook() : undefined);
  guard.install(prototype);
  return guard;
}

/** The guard installed in this process, whichever copy of vitest-stress installed it; undefined when none is. */
export function getActiveIsolationGuard(): IsolationGuard | undefined {
  return isolationRegistry().guard;
}
