import { readFile } from 'node:fs/promises';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import { StressError } from '../../protocol/index.ts';
import { locateJsonError } from '../json-error-position.ts';
import type { MetricsValidation } from '../validate-metrics-file.ts';
import type { RunMetricsFile } from './run-metrics-file.ts';
import { RUN_METRICS_SCHEMA } from './run-metrics-schema.ts';

const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})$/;
const MAX_ERRORS = 20;

let compiled: ValidateFunction | undefined;

function validator(): ValidateFunction {
  // Compiled on first use: code generation for the nested schemas costs more than an import should.
  compiled ??= new Ajv2020({ allErrors: true, allowUnionTypes: true })
    .addFormat('date-time', ISO_DATE_TIME)
    .compile(RUN_METRICS_SCHEMA);
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

/** Checks a value against the run-level metrics schema (`RUN_METRICS_SCHEMA`), one readable error per problem. */
export function validateRunMetricsFile(value: unknown): MetricsValidation {
  const validate = validator();
  if (validate(value)) return { valid: true, errors: [] };
  // `oneOf` (null or a value) repeats what its branches said; the `type: null` branch error is noise.
  const errors = (validate.errors ?? [])
    .filter(
      (error) => error.keyword !== 'oneOf' && !(error.keyword === 'type' && error.params.type === 'null'),
    )
    .map(describeError);
  const unique = [...new Set(errors)];
  const shown = unique.slice(0, MAX_ERRORS);
  if (unique.length > MAX_ERRORS) shown.push(`... and ${unique.length - MAX_ERRORS} more`);
  return { valid: false, errors: shown };
}

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
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const problem = code === 'ENOENT' ? 'does not exist.' : `cannot be read (${code ?? String(error)}).`;
    throw new StressError('ERR_INVALID_METRICS_FILE', `Run metrics file ${path} ${problem}`, {
      cause: error,
      details: { path },
    });
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const at = locateJsonError(text);
    const where = at === undefined ? '' : ` at line ${at.line}, column ${at.column}`;
    throw new StressError(
      'ERR_INVALID_METRICS_FILE',
      `Run metrics file ${path} is not valid JSON${where}: ${(error as Error).message}.`,
      { cause: error, details: { path } },
    );
  }
  assertRunMetricsFile(value, `run metrics file ${path}`);
  return value;
}
