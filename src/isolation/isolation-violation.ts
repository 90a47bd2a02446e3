import { StressError } from '../protocol/index.ts';

/**
 * The ways a stress run can reach outside its mock: a file write, a process, the network, a worker, a module, or
 * `native` code past any JavaScript guard (a native addon, a linked binding, the inspector).
 */
export type ViolationKind = 'fs-write' | 'process' | 'network' | 'worker' | 'module' | 'native';

/** Every {@link ViolationKind}, in the order reports list them. */
export const VIOLATION_KINDS: readonly ViolationKind[] = [
  'fs-write',
  'process',
  'network',
  'worker',
  'module',
  'native',
];

/** One escape the guard saw; JSON-plain so it can travel to the reporter in `task.meta`. */
export interface IsolationViolationRecord {
  readonly kind: ViolationKind;
  /** What was reached: an absolute path, `host:port`, a command line, or a module specifier or path. */
  readonly target: string;
  /** The API that was called, such as `fs.writeFileSync` or `child_process.spawn`. */
  readonly api: string;
  /** The test that was running, when the guard knew it. */
  readonly test?: string;
  /**
   * `file:line:column` of the first stack frame in user code (outside the guard, node_modules and Node); for an
   * `import` refused by the resolve hook, the importing file.
   */
  readonly frame?: string;
  /** False in observe mode, where the call went ahead after being recorded, and for a race found afterwards. */
  readonly blocked: boolean;
  /**
   * True when the escape was found only as the call completed: the path was allowed when checked, and something
   * changed it (a directory swapped for a symlink, `chdir`) while the call waited for Node's thread pool.
   */
  readonly raced?: true;
}

const REACHED: Record<
  ViolationKind,
  { readonly expected: string; readonly verb: string; readonly fix: string }
> = {
  'fs-write': {
    expected: 'no writes under protected paths',
    verb: 'writing',
    fix: 'Deliver through the injected messaging core, or list the path in `allowedPaths` if it is the tool’s own output.',
  },
  process: {
    expected: 'no child processes',
    verb: 'running',
    fix: 'A stress target must not start processes; simulate them in the mock messaging core.',
  },
  network: {
    expected: 'no network connections',
    verb: 'connecting to',
    fix: 'Deliver through the injected messaging core, or set `allowNetwork: true` for a local test double.',
  },
  worker: {
    expected: 'no worker threads',
    verb: 'starting',
    fix: 'Run the target on the stress run’s thread so the guard and the virtual clock see all of it.',
  },
  module: {
    expected: 'no forbidden modules',
    verb: 'loading',
    fix: 'GUI automation and the real InboxMessagingCore must never load in a stress run; inject the mock core.',
  },
  native: {
    expected: 'no native addons, linked bindings or inspector sessions',
    verb: 'opening',
    fix: 'Native code and the inspector reach past any JavaScript guard; use the public Node APIs (which the guard checks) and deliver through the injected messaging core.',
  },
};

// A `process` violation whose target is a signal (see `signalTarget`): nothing was started, something was sent.
const SIGNALLED = {
  expected: 'no signals to other processes',
  verb: 'sending',
  fix: 'A stress target must not signal other processes (a delivery daemon, a helper it did not start); simulate them in the mock messaging core.',
};

/** Builds the message of an {@link IsolationViolation}: what was expected, what was reached, where, and the fix. */
export function describeViolation(record: IsolationViolationRecord): string {
  const words =
    record.kind === 'process' && record.target.startsWith('signal ') ? SIGNALLED : REACHED[record.kind];
  const where = `${record.test === undefined ? '' : ` in test "${record.test}"`}${
    record.frame === undefined ? '' : ` at ${record.frame}`
  }`;
  const outcome = record.raced
    ? 'It was found when the call completed: the path led elsewhere when it was checked, so it could not be blocked (a race no in-process guard can close).'
    : record.blocked
      ? 'It was blocked.'
      : 'It was allowed (observe mode).';
  return `Expected ${words.expected} during a stress run, got \`${record.api}\` ${words.verb} \`${record.target}\`${where}. ${outcome} ${words.fix}`;
}

/** The error a blocked escape throws (or rejects or calls back with); `details` is its {@link IsolationViolationRecord}. */
export class IsolationViolation extends StressError {
  readonly violation: IsolationViolationRecord;

  constructor(record: IsolationViolationRecord) {
    super('ERR_ISOLATION_VIOLATION', describeViolation(record), { details: { ...record } });
    this.violation = record;
  }
}

/** Cross-realm check for an {@link IsolationViolation}, also true for one thrown by another copy of this module. */
export function isIsolationViolation(value: unknown): value is IsolationViolation {
  return StressError.is(value, 'ERR_ISOLATION_VIOLATION');
}
