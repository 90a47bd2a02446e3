import type { QueueValidationReport } from './validate-queue-behavior.ts';

function pad(text: string, width: number): string {
  return text + ' '.repeat(Math.max(0, width - text.length));
}

/**
 * Renders a queue validation report as a plain-text table (check, verdict, what was measured), then every
 * failure under its check and a summary line; pure, so the CLI decides about colour.
 */
export function formatQueueValidation(report: QueueValidationReport): string {
  const header = ['Check', 'Result', 'Measured'];
  const rows = report.checks.map((check) => [check.name, check.ok ? 'PASS' : 'FAIL', check.summary]);
  const widths = [0, 1].map((column) =>
    Math.max(...[header, ...rows].map((row) => (row[column] as string).length)),
  );
  const line = (row: readonly string[]): string =>
    `${pad(row[0] as string, widths[0] as number)}  ${pad(row[1] as string, widths[1] as number)}  ${row[2]}`.trimEnd();
  const rule = line(header.map((title, i) => '-'.repeat(i === 2 ? title.length : (widths[i] as number))));
  const failures = report.checks
    .filter((check) => !check.ok)
    .flatMap((check) => [`${check.name}:`, ...check.failures.map((failure) => `  - ${failure}`)]);
  const { passed, total } = report.summary;
  const verdict = report.ok
    ? `All ${total} queue checks passed`
    : `${report.summary.failed} of ${total} queue checks failed`;
  return [
    `Queue under test: ${report.subject}`,
    '',
    line(header),
    rule,
    ...rows.map(line),
    ...(failures.length > 0 ? ['', ...failures] : []),
    '',
    `${verdict} (${passed}/${total} passed, ${(report.wall_time_ms / 1000).toFixed(1)} s).`,
    '',
  ].join('\n');
}
