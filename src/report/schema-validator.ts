import { readFile } from 'node:fs/promises';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import { locateJsonError } from '../io/json-error-position.ts';
import { StressError } from '../protocol/index.ts';

/** The outcome of a schema check: readable errors, one per problem, each naming its field. */
export interface MetricsValidation {
  readonly valid: boolean;
  readonly errors: readonly string[];
}

const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})$/;
const MAX_ERRORS = 20;

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

/**
 * Builds a checker for a JSON Schema (2020-12), compiled on first use: Ajv's code generation costs more than
 * an import should.
 */
export function createSchemaValidator(schema: object): (value: unknown) => MetricsValidation {
  let compiled: ValidateFunction | undefined;
  return (value) => {
    compiled ??= new Ajv2020({ allErrors: true, allowUnionTypes: true })
      .addFormat('date-time', ISO_DATE_TIME)
      .compile(schema);
    if (compiled(value)) return { valid: true, errors: [] };
    // `oneOf` (null or a value) repeats what its branches said; the `type: null` branch error is noise.
    const errors = (compiled.errors ?? [])
      .filter(
        (error) => error.keyword !== 'oneOf' && !(error.keyword === 'type' && error.params.type === 'null'),
      )
      .map(describeError);
    const unique = [...new Set(errors)];
    const shown = unique.slice(0, MAX_ERRORS);
    if (unique.length > MAX_ERRORS) shown.push(`... and ${unique.length - MAX_ERRORS} more`);
    return { valid: false, errors: shown };
  };
}

/**
 * Reads a JSON file and checks it; rejects with `ERR_INVALID_METRICS_FILE` naming the file and the problem:
 * missing or unreadable, not JSON (with line and column), or not matching the schema (`label` names it).
 */
export async function readValidatedJson(
  path: string,
  what: string,
  validate: (value: unknown) => MetricsValidation,
  label: string,
): Promise<unknown> {
  const fail = (problem: string, cause?: unknown): StressError =>
    new StressError('ERR_INVALID_METRICS_FILE', `${what} ${path} ${problem}`, { cause, details: { path } });
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw fail(code === 'ENOENT' ? 'does not exist.' : `cannot be read (${code ?? String(error)}).`, error);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const at = locateJsonError(text);
    const where = at === undefined ? '' : ` at line ${at.line}, column ${at.column}`;
    throw fail(`is not valid JSON${where}: ${(error as Error).message}.`, error);
  }
  const { valid, errors } = validate(value);
  if (!valid) throw fail(`does not match ${label}:\n  - ${errors.join('\n  - ')}`);
  return value;
}
