import type { MetricsReport } from '../engine/metrics/metrics-report.ts';
import { METRICS_SCHEMA } from '../engine/metrics/metrics-schema.ts';
import { createSchemaValidator, type MetricsValidation, readValidatedJson } from './schema-validator.ts';

export type { MetricsValidation } from './schema-validator.ts';

/** Checks a value against the metrics JSON v1 schema (`docs/metrics.schema.json`). */
export const validateMetricsReport: (value: unknown) => MetricsValidation =
  createSchemaValidator(METRICS_SCHEMA);

/**
 * Reads and validates a metrics file; rejects with `ERR_INVALID_METRICS_FILE` naming the file and the
 * problem: missing or unreadable, not JSON (with line and column), or not matching the schema.
 */
export async function readMetricsFile(path: string): Promise<MetricsReport> {
  const label = 'the metrics schema v1 (docs/metrics.schema.json)';
  return (await readValidatedJson(path, 'Metrics file', validateMetricsReport, label)) as MetricsReport;
}
