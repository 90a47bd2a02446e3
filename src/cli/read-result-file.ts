import { readFile } from 'node:fs/promises';
import type { ComparisonFile } from '../compare/index.ts';
import type { MetricsReport } from '../engine/index.ts';
import { StressError } from '../protocol/index.ts';
import { assertRunMetricsFile, type RunMetricsFile } from '../report/index.ts';
import { readMetricsFile, validateMetricsReport } from '../report/validate-metrics-file.ts';
import type { QueueValidationReport } from '../validate/queue/index.ts';

/** A file vitest-stress wrote, recognised by its shape. */
export type ResultFile =
  | { readonly kind: 'run'; readonly file: RunMetricsFile }
  | { readonly kind: 'metrics'; readonly file: MetricsReport }
  | { readonly kind: 'comparison'; readonly file: ComparisonFile }
  | { readonly kind: 'queue-validation'; readonly file: QueueValidationReport };

const EXPECTED =
  'a vitest-stress file: a run metrics file (logs/stress_test_metrics_*.json), a metrics report v1, ' +
  'a comparison file or logs/queue_behavior_validation.json';

function invalid(path: string, problem: string, cause?: unknown): StressError {
  return new StressError('ERR_INVALID_METRICS_FILE', `Metrics file ${path} ${problem}`, {
    cause,
    details: { path },
  });
}

/**
 * Reads a file and tells which vitest-stress file it is, validating it: run metrics files and metrics reports
 * against their schemas, the others by their markers. Rejects with `ERR_INVALID_METRICS_FILE` naming the file.
 */
export async function readResultFile(path: string): Promise<ResultFile> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw invalid(
      path,
      code === 'ENOENT' ? 'does not exist.' : `cannot be read (${code ?? String(error)}).`,
      error,
    );
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    // readMetricsFile reports the JSON error with its line and column.
    await readMetricsFile(path);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw invalid(path, `is not ${EXPECTED}: its JSON is not an object.`);
  }
  const record = value as Record<string, unknown>;
  if (record.kind === 'vitest-stress-run') {
    assertRunMetricsFile(value, `run metrics file ${path}`);
    return { kind: 'run', file: value };
  }
  if (record.kind === 'comparison' && record.schema_version === 1) {
    for (const side of ['mock', 'real'] as const) {
      const check = validateMetricsReport(record[side]);
      if (!check.valid)
        throw invalid(
          path,
          `is a comparison file whose ${side} report is invalid: ${check.errors.join('; ')}.`,
        );
    }
    return { kind: 'comparison', file: value as unknown as ComparisonFile };
  }
  if (record.schema_version === 1 && Array.isArray(record.checks) && typeof record.subject === 'string') {
    return { kind: 'queue-validation', file: value as unknown as QueueValidationReport };
  }
  if ('run' in record && 'invariants' in record)
    return { kind: 'metrics', file: await readMetricsFile(path) };
  throw invalid(path, `is not ${EXPECTED}.`);
}
