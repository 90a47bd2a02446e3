import { patchBindings } from './binding-guard.ts';
import { patchDiagnostics } from './diagnostics-guard.ts';
import { patchFileSystem } from './file-system-guard.ts';
import { patchInspector } from './inspector-guard.ts';
import type { IsolationAttempt, IsolationGuard } from './isolation-guard.ts';
import type { IsolationMode, ResolvedIsolationOptions } from './isolation-options.ts';
import type { EsmImportHookHandle, GuardRuntime } from './isolation-registry.ts';
import { isolationRegistry } from './isolation-registry.ts';
import {
  IsolationViolation,
  type IsolationViolationRecord,
  type ViolationKind,
} from './isolation-violation.ts';
import { patchModuleLoading } from './module-guard.ts';
import { patchNetwork } from './network-guard.ts';
import { PatchSet } from './patch-set.ts';
import { createPathPolicy, type PathPolicy } from './path-policy.ts';
import { patchChildProcesses } from './process-guard.ts';
import { patchSignals } from './signal-guard.ts';
import { patchSqlite } from './sqlite-guard.ts';
import { TestContext } from './test-context.ts';
import { captureUserFrame } from './user-frame.ts';
import { ViolationRecorder } from './violation-recorder.ts';
import { patchWasi } from './wasi-guard.ts';
import { patchWorkers } from './worker-guard.ts';

/**
 * The installed guard: the public {@link IsolationGuard} and, for the patched functions, the
 * {@link GuardRuntime} they consult. Imports reported by the loader thread are drained before every read.
 */
export class ActiveIsolationGuard implements IsolationGuard, GuardRuntime {
  readonly options: ResolvedIsolationOptions;
  readonly policy: PathPolicy;
  readonly #patches = new PatchSet();
  readonly #recorder = new ViolationRecorder();
  readonly #esmHook: EsmImportHookHandle | undefined;
  // The test whose code runs now, per async context: a timer, promise or event keeps the test that scheduled it.
  readonly #context = new TestContext();
  #patched: readonly { readonly target: object; readonly key: PropertyKey }[] = [];
  #test: string | undefined;
  #depth = 0;
  #installed = false;

  constructor(options: ResolvedIsolationOptions, esmHook: EsmImportHookHandle | undefined) {
    this.options = options;
    this.policy = createPathPolicy(options.protectedPaths, options.allowedPaths);
    this.#esmHook = esmHook;
  }

  get mode(): IsolationMode {
    return this.options.mode;
  }

  get installed(): boolean {
    return this.#installed;
  }

  get suppressed(): boolean {
    return this.#depth > 0;
  }

  install(fileHandlePrototype: object): void {
    const registry = isolationRegistry();
    registry.runtime = this;
    registry.guard = this;
    this.#installed = true;
    try {
      patchFileSystem(this.#patches, fileHandlePrototype);
      patchChildProcesses(this.#patches);
      patchSignals(this.#patches);
      if (!this.options.allowNetwork) patchNetwork(this.#patches);
      patchWorkers(this.#patches);
      patchModuleLoading(this.#patches, this.options.forbiddenModules);
      patchBindings(this.#patches, this.options.allowNetwork);
      patchInspector(this.#patches);
      patchDiagnostics(this.#patches);
      patchWasi(this.#patches);
      patchSqlite(this.#patches);
      this.#patched = this.#patches.entries();
      this.#patches.sync();
      this.#esmHook?.configure({
        enabled: true,
        observe: this.options.mode === 'observe',
        rules: this.options.forbiddenModules,
      });
    } catch (error) {
      this.uninstall();
      throw error;
    }
  }

  violate(
    kind: ViolationKind,
    target: string,
    api: string,
    frame = captureUserFrame(),
  ): IsolationViolation | undefined {
    this.#drainImports();
    const record = this.#record(kind, target, api, frame);
    return record.blocked ? new IsolationViolation(record) : undefined;
  }

  detected(kind: ViolationKind, target: string, api: string): void {
    this.#drainImports();
    this.#record(kind, target, api, undefined, true);
  }

  passThrough<T>(run: () => T): T {
    this.#depth += 1;
    try {
      return run();
    } finally {
      this.#depth -= 1;
    }
  }

  violations(): readonly IsolationViolationRecord[] {
    this.#drainImports();
    return this.#recorder.all();
  }

  takeViolations(
    select?: (record: IsolationViolationRecord) => boolean,
  ): readonly IsolationViolationRecord[] {
    this.#drainImports();
    return this.#recorder.take(select);
  }

  runInTest<T>(name: string, run: () => T): T {
    return this.#context.run(name, run);
  }

  runAlone<T>(run: () => Promise<T>): Promise<T> {
    return this.#context.runAlone(run);
  }

  setCurrentTest(name: string | undefined): void {
    // Imports reported so far belong to the test that was running when they happened.
    this.#drainImports();
    this.#test = name;
  }

  enforce(attempt: IsolationAttempt): void {
    const violation = this.violate(
      attempt.kind,
      attempt.target,
      attempt.api,
      'frame' in attempt ? attempt.frame : captureUserFrame(),
    );
    if (violation !== undefined) throw violation;
  }

  uninstall(): void {
    if (!this.#installed) return;
    this.#drainImports();
    this.#esmHook?.configure({ enabled: false, observe: false, rules: undefined });
    const registry = isolationRegistry();
    if (registry.runtime === this) {
      registry.runtime = undefined;
      registry.guard = undefined;
    }
    this.#patches.restore();
    this.#context.disable();
    this.#installed = false;
  }

  patchedProperties(): readonly { readonly target: object; readonly key: PropertyKey }[] {
    return this.#patched;
  }

  #currentTest(): string | undefined {
    const scheduledBy = this.#context.current();
    if (scheduledBy !== undefined) return scheduledBy;
    if (this.#test !== undefined) return this.#test;
    try {
      return this.options.currentTest?.();
    } catch {
      return undefined;
    }
  }

  #record(
    kind: ViolationKind,
    target: string,
    api: string,
    frame: string | undefined,
    raced = false,
  ): IsolationViolationRecord {
    const test = this.#currentTest();
    const record: IsolationViolationRecord = {
      kind,
      target,
      api,
      ...(test === undefined ? {} : { test }),
      ...(frame === undefined ? {} : { frame }),
      blocked: !raced && this.options.mode === 'block',
      ...(raced ? { raced: true as const } : {}),
    };
    this.#recorder.add(record);
    return record;
  }

  #drainImports(): void {
    if (this.#esmHook === undefined || !this.#installed) return;
    for (const report of this.#esmHook.drain())
      this.#record('module', report.target, 'import', report.parent);
  }
}
