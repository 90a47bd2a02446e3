import { resolve } from 'node:path';
import {
  loadHtmlReportAssets,
  renderHtmlReport,
  renderMarkdownSummary,
  renderTerminalSummary,
} from '../report/index.ts';
import { formatQueueValidation } from '../validate/queue/index.ts';
import { EXIT, usageError } from './cli-error.ts';
import { type CliIo, colorFor } from './cli-io.ts';
import { type FlagSpec, parseFlags, stringFlag } from './parse-flags.ts';
import { type ResultFile, readResultFile } from './read-result-file.ts';
import { renderComparison, renderComparisonMarkdown } from './render-comparison.ts';
import { renderMetricsReportMarkdown, renderMetricsReportText } from './render-metrics-report.ts';

const USAGE =
  'vitest-stress report <metrics.json> [--format text|md|html] (see `vitest-stress report --help`)';

/** `vitest-stress report --help`. */
export const REPORT_HELP = `Usage: vitest-stress report <file> [--format text|md|html]

Renders a file vitest-stress wrote: a run metrics file (logs/stress_test_metrics_*.json), a metrics report v1,
a comparison file (logs/stress_test_comparison_*.json) or logs/queue_behavior_validation.json. The file is
validated against its schema first; a missing or malformed file exits 2 naming the problem.

Options
  --format F     text (a terminal table) | md (Markdown for a pull request)        (default text)
                 | html (the self-contained HTML report of a run metrics file, on stdout)
  -h, --help     this help

Examples
  vitest-stress report logs/stress_test_metrics_20250128_143000.json
  vitest-stress report logs/stress_test_metrics_20250128_143000.json --format md >> "$GITHUB_STEP_SUMMARY"
  vitest-stress report logs/stress_test_metrics_20250128_143000.json --format html > report.html
`;

const FLAGS: FlagSpec = { format: { type: 'string' }, help: { type: 'boolean', short: 'h' } };

function render(result: ResultFile, markdown: boolean, color: boolean): string {
  switch (result.kind) {
    case 'run':
      return markdown ? renderMarkdownSummary(result.file) : renderTerminalSummary(result.file, { color });
    case 'metrics':
      return markdown ? renderMetricsReportMarkdown(result.file) : renderMetricsReportText(result.file);
    case 'comparison':
      return markdown ? renderComparisonMarkdown(result.file) : renderComparison(result.file);
    case 'queue-validation': {
      const text = formatQueueValidation(result.file);
      return markdown ? `## vitest-stress queue validation\n\n\`\`\`\n${text}\`\`\`\n` : text;
    }
  }
}

/** `vitest-stress report`: renders a metrics file for a terminal or a pull request. */
export async function reportCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseFlags(argv, FLAGS, USAGE, 1);
  if (values.help === true) {
    io.stdout.write(REPORT_HELP);
    return EXIT.ok;
  }
  const path = positionals[0];
  if (path === undefined) throw usageError('Expected the path of a metrics file.', USAGE);
  const format = stringFlag(values, 'format') ?? 'text';
  if (format !== 'text' && format !== 'md' && format !== 'html') {
    throw usageError(`Expected \`--format\` to be "text", "md" or "html", got "${format}".`, USAGE);
  }
  const result = await readResultFile(resolve(io.cwd, path));
  if (format === 'html') {
    if (result.kind !== 'run') {
      throw usageError(
        `Expected a run metrics file (logs/stress_test_metrics_*.json) for \`--format html\`, got a ${result.kind} file.`,
        USAGE,
      );
    }
    io.stdout.write(renderHtmlReport(result.file, await loadHtmlReportAssets()));
    return EXIT.ok;
  }
  io.stdout.write(render(result, format === 'md', colorFor(io.stdout, io.env)));
  return EXIT.ok;
}
