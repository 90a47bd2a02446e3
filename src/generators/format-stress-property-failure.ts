import type { StressPropertyFailure } from './check-stress-property.ts';

/**
 * Renders a failure for a terminal or an assertion message: the counterexample in words, why it failed and
 * the `{ seed, path }` block that replays it. Pure: returns the text.
 * @example
 * throw new Error(formatStressPropertyFailure(result.failure));
 */
export function formatStressPropertyFailure(failure: StressPropertyFailure): string {
  const runs = `${failure.numRuns} run${failure.numRuns === 1 ? '' : 's'}`;
  const shrinks = `${failure.numShrinks} shrink${failure.numShrinks === 1 ? '' : 's'}`;
  const lines = [
    `Stress property failed after ${runs} (${shrinks}${failure.interrupted ? ', interrupted by the time limit' : ''}).`,
    'Counterexample:',
    `  engine seed: ${failure.counterexample.seed}`,
    `  workload: ${failure.description.workload}`,
    `  chaos: ${failure.description.chaos}`,
    'Failures:',
    ...failure.failures.map((line) => `  - ${line}`),
    `Replay: { seed: ${failure.replay.seed}, path: ${JSON.stringify(failure.replay.path)}, endOnFailure: true }`,
  ];
  return lines.join('\n');
}
