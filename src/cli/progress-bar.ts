import cliProgress from 'cli-progress';
import type { StressRunner } from '../engine/index.ts';

/** Options of {@link attachProgressBar}. */
export interface ProgressBarOptions {
  /** A TTY stream; without one nothing is drawn. */
  readonly stream: NodeJS.WritableStream | undefined;
  /** Shown before the bar, e.g. `mock` or `real` in comparison mode. @default 'messages' */
  readonly label?: string;
  /** Runs shorter than this never show a bar, in wall ms. @default 1000 */
  readonly delayMs?: number;
}

/**
 * Draws a cli-progress bar for a run on a TTY once the run has lasted about a second, fed by the runner's
 * `progress` events, and removes it when the run is done; draws nothing otherwise (pipes, CI logs, tests).
 */
export function attachProgressBar(runner: StressRunner, options: ProgressBarOptions): void {
  const stream = options.stream;
  if (stream === undefined) return;
  const delayMs = options.delayMs ?? 1000;
  const started = performance.now();
  let bar: cliProgress.SingleBar | undefined;
  let finished = false;
  runner.addEventListener('progress', (event) => {
    const { sent, total, phase } = event.detail;
    if (finished) return;
    if (phase === 'done') {
      finished = true;
      bar?.update(bar.getTotal(), { phase: 'done' });
      bar?.stop();
      return;
    }
    if (bar === undefined) {
      if (performance.now() - started < delayMs || total === 0) return;
      bar = new cliProgress.SingleBar(
        {
          stream,
          clearOnComplete: true,
          hideCursor: true,
          format: `${options.label ?? 'messages'} [{bar}] {percentage}% | {value}/{total} sent | {phase} | {duration_formatted}`,
        },
        cliProgress.Presets.shades_classic,
      );
      bar.start(total, sent, { phase });
      return;
    }
    // The draining event carries no counts: keep the bar full and name the phase.
    bar.update(phase === 'draining' ? bar.getTotal() : sent, { phase });
  });
}
