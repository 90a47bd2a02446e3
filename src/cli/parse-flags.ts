import { type ParseArgsConfig, parseArgs } from 'node:util';
import { usageError } from './cli-error.ts';

/** The option table of one command, as `node:util` parseArgs takes it. */
export type FlagSpec = NonNullable<ParseArgsConfig['options']>;

/** Parsed flags: strings, booleans, or lists for `multiple` flags. */
export type FlagValues = Record<string, string | boolean | (string | boolean)[] | undefined>;

/** What a command's arguments parse into. */
export interface ParsedFlags {
  readonly values: FlagValues;
  readonly positionals: readonly string[];
}

const quoted = (message: string): string | undefined => /'([^']+)'/.exec(message)?.[1];

/**
 * Parses a command's arguments strictly; every parse problem becomes an `ERR_CLI_USAGE` error that names the
 * flag and shows `usage` (parseArgs' own messages are not meant for end users).
 */
export function parseFlags(
  argv: readonly string[],
  options: FlagSpec,
  usage: string,
  maxPositionals = 0,
): ParsedFlags {
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args: [...argv], options, allowPositionals: true, strict: true });
  } catch (error) {
    const code = (error as { code?: string }).code;
    const message = (error as Error).message;
    const subject = quoted(message) ?? '';
    if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') throw usageError(`Unknown flag \`${subject}\`.`, usage);
    if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
      const flag = subject.split(' ')[0] ?? subject;
      const takesValue = /argument missing|ambiguous/.test(message);
      throw usageError(
        takesValue ? `Flag \`${flag}\` needs a value.` : `Flag \`${flag}\` takes no value.`,
        usage,
      );
    }
    if (code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') {
      throw usageError(`Unexpected argument \`${subject}\`.`, usage);
    }
    throw usageError(`Could not read the arguments: ${message}`, usage);
  }
  if (parsed.positionals.length > maxPositionals && parsed.values.help !== true) {
    const extra = parsed.positionals[maxPositionals];
    throw usageError(`Unexpected argument \`${extra}\`.`, usage);
  }
  return { values: parsed.values as FlagValues, positionals: parsed.positionals };
}

/** A string flag's value, or undefined; a repeated single flag keeps the last value. */
export function stringFlag(values: FlagValues, name: string): string | undefined {
  const value = values[name];
  if (Array.isArray(value)) return value.at(-1) as string | undefined;
  return typeof value === 'string' ? value : undefined;
}

/** Every value of a `multiple` string flag. */
export function listFlag(values: FlagValues, name: string): string[] {
  const value = values[name];
  if (value === undefined) return [];
  return (Array.isArray(value) ? value : [value]).filter((item): item is string => typeof item === 'string');
}
