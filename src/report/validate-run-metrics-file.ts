import { StressError } from '../protocol/index.ts';
import type { RunMetricsFile } from './run-metrics-file.ts';
import { RUN_METRICS_SCHEMA } from './run-metrics-schema.ts';
import { createSchemaValidator, type MetricsValidation, readValidatedJson } from './schema-validator.ts';

/** Checks a value against the run-level metrics schema (`RUN_METRICS_SCHEMA`), one readable error per problem. */
export const validateRunMetricsFile: (value: unknown) => MetricsValidation =
  createSchemaValidator(RUN_METRICS_SCHEMA);

/** Throws `ERR_INVALID_METRICS_FILE` listing the schema errors when `value` is not a valid run metrics file. */
export function assertRunMetricsFile(
  value: unknown,
  name = 'run metrics file',
): asserts value is RunMetricsFile {
  const { valid, errors } = validateRunMetricsFile(value);
  if (!valid) {
    throw new StressError(
      'ERR_INVALID_METRICS_FILE',
      `Expected the ${name} to match the run metrics schema v1, got:\n  - ${errors.join('\n  - ')}`,
      { details: { errors } },
    );
  }
}

/**
 * Reads and validates a run metrics file; rejects with `ERR_INVALID_METRICS_FILE` naming the file and the
 * problem: missing or unreadable, not JSON (with line and column), or not matching the schema.
 */
export async function readRunMetricsFile(path: string): Promise<RunMetricsFile> {
  const value = await readValidatedJson(
    path,
    'Run metrics file',
    validateRunMetricsFile,
    'the run metrics schema v1',
  );
  assertRunMetricsFile(value, `run metrics file ${path}`);
  return value;
}
