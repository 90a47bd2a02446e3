import { StressError, type StressErrorCode } from '../protocol/index.ts';

/** Exit codes of the CLI; `incomplete` is `validate integration`'s "no finding, but not everything was checked". */
export const EXIT = { ok: 0, failed: 1, badInput: 2, incomplete: 3 } as const;

/** Error codes that mean the user gave bad input: exit 2. */
const BAD_INPUT: ReadonlySet<StressErrorCode> = new Set([
  'ERR_CLI_USAGE',
  'ERR_INVALID_OPTION',
  'ERR_INVALID_THRESHOLD',
  'ERR_INVALID_METRICS_FILE',
  'ERR_INVALID_SNAPSHOT',
  'ERR_TARGET_MODULE',
  'ERR_UNSAFE_AGENT_ID',
]);

/** A usage error naming the problem and the expected form, e.g. an unknown flag. */
export function usageError(problem: string, usage: string): StressError {
  return new StressError('ERR_CLI_USAGE', `${problem} Usage: ${usage}`);
}

/** The exit code for an error the CLI caught. */
export function exitCodeOf(error: unknown): number {
  return StressError.is(error) && BAD_INPUT.has(error.code) ? EXIT.badInput : EXIT.failed;
}

/**
 * The one line printed for an error: `vitest-stress: <message>`, multi-line messages joined with `; ` and
 * never a stack trace (set `VITEST_STRESS_DEBUG=1` for it).
 */
export function formatCliError(error: unknown, debug = false): string {
  const raw = error instanceof Error ? error.message : String(error);
  const message = raw
    .replace(/^\[vitest-stress\]\s*/, '')
    .split('\n')
    .map((line) => line.trim().replace(/^- /, ''))
    .filter((line) => line !== '')
    .join('; ')
    .replace(/:;/g, ':');
  const known = StressError.is(error) || (error instanceof Error && error.name === 'IsolationViolation');
  const prefix = known ? '' : 'unexpected error: ';
  const stack = debug && error instanceof Error && error.stack ? `\n${error.stack}` : '';
  return `vitest-stress: ${prefix}${message}${stack}\n`;
}
