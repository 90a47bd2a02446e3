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

/** The flag as the user typed it: `--name` or `-n`. */
const typed = (token: { readonly rawName: string }): string => token.rawName;

/**
 * Parses a command's arguments strictly; every problem becomes an `ERR_CLI_USAGE` error that names the flag and
 * shows `usage`. The checks run on parseArgs' tokens (name, value, where the value came from), not on its English
 * error messages: an unknown flag, a flag that needs a value and has none (or would take the next flag as it),
 * a boolean flag given a value, and more positionals than the command takes.
 */
export function parseFlags(
  argv: readonly string[],
  options: FlagSpec,
  usage: string,
  maxPositionals = 0,
): ParsedFlags {
  const parsed = parseArgs({ args: [...argv], options, allowPositionals: true, strict: false, tokens: true });
  const positionals: string[] = [];
  for (const token of parsed.tokens) {
    if (token.kind === 'positional') {
      positionals.push(token.value);
      continue;
    }
    if (token.kind !== 'option') continue;
    const spec = Object.hasOwn(options, token.name) ? options[token.name] : undefined;
    if (spec === undefined) throw usageError(`Unknown flag \`${typed(token)}\`.`, usage);
    if (spec.type === 'boolean' && token.value !== undefined) {
      throw usageError(`Flag \`${typed(token)}\` takes no value.`, usage);
    }
    // A value taken from the next argument that looks like a flag is a forgotten value (a negative number is not).
    const forgotten = token.inlineValue === false && /^-(?!\d)/.test(token.value ?? '');
    if (spec.type === 'string' && (token.value === undefined || forgotten)) {
      throw usageError(`Flag \`${typed(token)}\` needs a value.`, usage);
    }
  }
  if (positionals.length > maxPositionals && parsed.values.help !== true) {
    throw usageError(`Unexpected argument \`${positionals[maxPositionals]}\`.`, usage);
  }
  return { values: parsed.values as FlagValues, positionals };
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
