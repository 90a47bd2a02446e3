import { readFile } from 'node:fs/promises';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import type { MetricsReport } from '../engine/metrics-report.ts';
import { METRICS_SCHEMA } from '../engine/metrics-schema.ts';
import { StressError } from '../protocol/index.ts';
import { locateJsonError } from './json-error-position.ts';

/** The outcome of {@link validateMetricsReport}: readable errors, one per problem, each naming its field. */
export interface MetricsValidation {
  readonly valid: boolean;
  readonly errors: readonly string[];
}

const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})$/;
const MAX_ERRORS = 20;

let compiled: ValidateFunction | undefined;

function validator(): ValidateFunction {
  // Compiled on first use: Ajv code generation costs a few milliseconds nobody should pay at import.
  compiled ??= new Ajv2020({ allErrors: true, allowUnionTypes: true })
    .addFormat('date-time', ISO_DATE_TIME)
    .compile(METRICS_SCHEMA);
  return compiled;
}

function describeError(error: ErrorObject): string {
  const where = error.instancePath === '' ? '(root)' : error.instancePath.slice(1).replaceAll('/', '.');
  const params = error.params as Record<string, unknown>;
  if (error.keyword === 'additionalProperties')
    return `${where}: unknown field "${params.additionalProperty}"`;
  if (error.keyword === 'required') return `${where}: missing field "${params.missingProperty}"`;
  if (error.keyword === 'enum') return `${where}: must be one of ${JSON.stringify(params.allowedValues)}`;
  if (error.keyword === 'const') return `${where}: must be ${JSON.stringify(params.allowedValue)}`;
  return `${where}: ${error.message ?? error.keyword}`;
}

/** Checks a value against the metrics JSON v1 schema (`docs/metrics.schema.json`). */
export function validateMetricsReport(value: unknown): MetricsValidation {
  const validate = validator();
  if (validate(value)) return { valid: true, errors: [] };
  // `oneOf` repeats what its branches said; the branch errors are the readable ones.
  const errors = (validate.errors ?? []).filter((error) => error.keyword !== 'oneOf').map(describeError);
  const unique = [...new Set(errors)];
  const shown = unique.slice(0, MAX_ERRORS);
  if (unique.length > MAX_ERRORS) shown.push(`... and ${unique.length - MAX_ERRORS} more`);
  return { valid: false, errors: shown };
}

function invalidFile(path: string, problem: string, cause?: unknown): StressError {
  return new StressError('ERR_INVALID_METRICS_FILE', `Metrics file ${path} ${problem}`, {
    cause,
    details: { path },
  });
}

/**
 * Reads and validates a metrics file; rejects with `ERR_INVALID_METRICS_FILE` naming the file and the
 * problem: missing or unreadable, not JSON (with line and column), or not matching the schema.
 */
export async function readMetricsFile(path: string): Promise<MetricsReport> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const problem = code === 'ENOENT' ? 'does not exist.' : `cannot be read (${code ?? String(error)}).`;
    throw invalidFile(path, problem, error);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const at = locateJsonError(text);
    const where = at === undefined ? '' : ` at line ${at.line}, column ${at.column}`;
    throw invalidFile(path, `is not valid JSON${where}: ${(error as Error).message}.`, error);
  }
  const { valid, errors } = validateMetricsReport(value);
  if (!valid) {
    throw invalidFile(
      path,
      `does not match the metrics schema v1 (docs/metrics.schema.json):\n  - ${errors.join('\n  - ')}`,
    );
  }
  return value as MetricsReport;
}
