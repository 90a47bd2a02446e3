import type { ReplayInfo } from '../metrics/metrics-report.ts';
import { assembleRun } from './assemble-run.ts';
import { executeRun } from './execute-run.ts';
import { judgeRun } from './judge-run.ts';
import { type ResolvedStressOptions, resolveStressOptions, type StressOptions } from './stress-options.ts';
import type { StressReport } from './stress-report.ts';

/** Progress of a run, dispatched as `progress` events about a hundred times per run. */
export interface StressProgress {
  readonly sent: number;
  readonly total: number;
  /** Clock time of the run (virtual or wall ms). */
  readonly now: number;
  readonly phase: 'sending' | 'draining' | 'done';
}

/** The event a {@link StressRunner} dispatches; `detail` carries the progress. */
export class StressProgressEvent extends Event {
  readonly detail: StressProgress;
  /** Builds a `progress` event. */
  constructor(detail: StressProgress) {
    super('progress');
    this.detail = detail;
  }
}

/** The events a {@link StressRunner} dispatches, by type: listeners get the event's own class, no cast. */
export interface StressRunnerEventMap {
  readonly progress: StressProgressEvent;
}

// EventTarget's own parameter types, as the Node typings declare them (no DOM lib here).
type AnyListener = Parameters<EventTarget['addEventListener']>[1];
type AddOptions = Parameters<EventTarget['addEventListener']>[2];
type RemoveOptions = Parameters<EventTarget['removeEventListener']>[2];

/** A listener of one of the runner's events. */
export type StressRunnerListener<K extends keyof StressRunnerEventMap> = (
  event: StressRunnerEventMap[K],
) => void;

/**
 * Runs one stress test: a seeded workload through the target, with the mock core, chaos, ledger and metrics
 * wired in, then a bounded final drain. A run has three phases, one file each: `assembleRun` wires the parts,
 * `executeRun` sends, drains and closes, `judgeRun` turns what happened into the report. Listen to `progress`
 * events before calling {@link StressRunner.run}.
 */
export class StressRunner extends EventTarget {
  readonly resolved: ResolvedStressOptions;

  /** Listens to `progress` (typed: `event.detail` is a {@link StressProgress}). */
  override addEventListener<K extends keyof StressRunnerEventMap>(
    type: K,
    listener: StressRunnerListener<K>,
    options?: AddOptions,
  ): void;
  override addEventListener(type: string, listener: AnyListener, options?: AddOptions): void;
  override addEventListener(type: string, listener: AnyListener, options?: AddOptions): void {
    super.addEventListener(type, listener, options);
  }

  /** Stops a listener added with {@link StressRunner.addEventListener}. */
  override removeEventListener<K extends keyof StressRunnerEventMap>(
    type: K,
    listener: StressRunnerListener<K>,
    options?: RemoveOptions,
  ): void;
  override removeEventListener(type: string, listener: AnyListener, options?: RemoveOptions): void;
  override removeEventListener(type: string, listener: AnyListener, options?: RemoveOptions): void {
    super.removeEventListener(type, listener, options);
  }

  /** Validates the options; throws a coded `StressError` on bad input. */
  constructor(options: StressOptions) {
    super();
    this.resolved = resolveStressOptions(options);
  }

  /** Runs the test and returns its report; a failed invariant or threshold is in the report, not thrown. */
  async run(replay?: ReplayInfo): Promise<StressReport> {
    const run = await assembleRun(this.resolved);
    const executed = await executeRun(run, (progress) =>
      this.dispatchEvent(new StressProgressEvent(progress)),
    );
    return judgeRun(run, executed, replay);
  }
}

/** Runs one stress test with `options` and resolves to its report. */
export function runStress(options: StressOptions, replay?: ReplayInfo): Promise<StressReport> {
  return new StressRunner(options).run(replay);
}
