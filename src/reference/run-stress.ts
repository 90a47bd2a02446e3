import {
  type ReplayInfo,
  type StressOptions,
  type StressReport,
  StressRunner,
  type StressTargetFactory,
} from '../engine/index.ts';
import { toolVersion } from '../io/tool-version.ts';
import { createReferenceTarget } from './reference-target.ts';

/** {@link StressOptions} where `target` is optional: the reference `MessageQueueProcessor` by default. */
export interface NodeStressOptions extends Omit<StressOptions, 'target'> {
  /** @default createReferenceTarget() — the embedded reference system, memory store */
  readonly target?: StressTargetFactory;
}

/** The facts of this process a report's `run` block carries: tool and Node versions, the wall clock. */
export function nodeRunEnvironment(): Pick<StressOptions, 'environment' | 'wallClock'> {
  return {
    environment: { toolVersion: toolVersion(), nodeVersion: process.version },
    wallClock: { now: () => performance.now(), epochMs: () => Date.now() },
  };
}

/** Fills the Node-side defaults: the reference target and the environment facts of the report's `run` block. */
export function withNodeDefaults(options: NodeStressOptions = {}): StressOptions {
  return {
    ...options,
    target: options.target ?? createReferenceTarget(),
    ...nodeRunEnvironment(),
    ...(options.wallClock ? { wallClock: options.wallClock } : {}),
    ...(options.environment
      ? { environment: { ...nodeRunEnvironment().environment, ...options.environment } }
      : {}),
  };
}

/** Creates a runner with Node defaults; listen to its `progress` events, then call `run()`. */
export function createStressRunner(options: NodeStressOptions = {}): StressRunner {
  return new StressRunner(withNodeDefaults(options));
}

/**
 * Runs one stress test against the reference system (or `options.target`) and resolves to its report.
 * @example
 * const report = await runStress({ agents: 9, messagesPerAgent: 100, chaos: 'original', seed: 42 });
 * if (!report.ok) console.log(report.failures);
 */
export function runStress(options: NodeStressOptions = {}, replay?: ReplayInfo): Promise<StressReport> {
  return createStressRunner(options).run(replay);
}
