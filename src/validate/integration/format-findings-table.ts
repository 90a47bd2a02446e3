import type { IntegrationReport } from './integration-report.ts';

type Row = readonly [check: string, location: string, finding: string];

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

/** What could not be checked, one line each; empty when everything was. */
function limits(report: IntegrationReport): string {
  const lines = [
    ...report.unchecked.map((file) => `  ${file.reason.padEnd(13)} ${file.message}`),
    ...report.skipped_checks.map((skip) => `  ${'not run'.padEnd(13)} ${skip.check}: ${skip.message}`),
  ];
  return lines.length === 0 ? '' : `\nNot checked:\n${lines.join('\n')}\n`;
}

/**
 * Renders a report as a plain-text table for people (one finding per row, check and location first) and a
 * summary line; pure, so the CLI decides about colour and where it goes.
 */
export function formatFindingsTable(report: IntegrationReport): string {
  const checked = `${plural(report.files.length, 'file')} checked`;
  if (report.verdict === 'incomplete') {
    const gaps = [
      report.unchecked.length > 0 ? `${plural(report.unchecked.length, 'file')} could not be checked` : '',
      report.skipped_checks.length > 0
        ? `${plural(report.skipped_checks.length, 'check')} could not run`
        : '',
    ].filter((gap) => gap !== '');
    return `${limits(report).slice(1)}\n${checked}: no findings, but ${gaps.join(' and ')}. Nothing is claimed about what was not checked.\n`;
  }
  if (report.findings.length === 0)
    return `${checked}: no findings. The stress tests cannot reach real delivery.\n`;
  const header: Row = ['Check', 'Location', 'Finding'];
  const rows: Row[] = report.findings.map((f) => [f.check, `${f.file}:${f.line}:${f.column}`, f.message]);
  const checkWidth = Math.max(...[header, ...rows].map((row) => row[0].length));
  const locationWidth = Math.max(...[header, ...rows].map((row) => row[1].length));
  const line = ([check, location, finding]: Row): string =>
    `${check.padEnd(checkWidth)}  ${location.padEnd(locationWidth)}  ${finding}`;
  const rule: Row = ['-'.repeat(checkWidth), '-'.repeat(locationWidth), '-'.repeat(header[2].length)];
  const counts = new Map<string, number>();
  for (const finding of report.findings) counts.set(finding.check, (counts.get(finding.check) ?? 0) + 1);
  const perCheck = [...counts].map(([check, count]) => `${check} ${count}`).join(', ');
  const table = [header, rule, ...rows].map(line).join('\n');
  return `${table}\n${limits(report)}\n${checked}: ${plural(report.findings.length, 'finding')} (${perCheck}).\n`;
}
