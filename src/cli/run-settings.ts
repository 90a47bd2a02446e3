import { readFileSync } from 'node:fs';
import { relative, resolve, sep } from 'node:path';
import {
  CHAOS_PRESET_NAMES,
  type ChaosPresetName,
  type ChaosSchedule,
  isChaosPresetName,
  validateChaosSchedule,
} from '../engine/index.ts';
import type { JsonObject, MessageType } from '../protocol/index.ts';
import { usageError } from './cli-error.ts';
import { integerFlag, mixFlag, numberFlag, thresholdFlag } from './flag-values.ts';
import { type FlagSpec, listFlag, parseFlags, stringFlag } from './parse-flags.ts';

/** The synopsis of `vitest-stress run`, shown with every usage error. */
export const RUN_USAGE =
  'vitest-stress run [--agents N] [--messages-per-agent N | --duration S] [--chaos [PRESET]] [--seed N] ... (see `vitest-stress run --help`)';

/** The flags of `vitest-stress run`. */
export const RUN_FLAGS: FlagSpec = {
  agents: { type: 'string' },
  'messages-per-agent': { type: 'string' },
  duration: { type: 'string' },
  rate: { type: 'string' },
  mix: { type: 'string' },
  chaos: { type: 'string' },
  seed: { type: 'string' },
  clock: { type: 'string' },
  threshold: { type: 'string', multiple: true },
  target: { type: 'string' },
  'target-options': { type: 'string' },
  store: { type: 'string' },
  profile: { type: 'string' },
  compare: { type: 'boolean' },
  out: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
};

/** `vitest-stress run` flags, validated, with defaults applied. */
export interface RunSettings {
  readonly help: boolean;
  readonly agents: number;
  readonly messagesPerAgent: number;
  /** Deliveries per agent per second. */
  readonly rate: number;
  readonly mix: Partial<Record<MessageType, number>> | undefined;
  readonly chaos: ChaosPresetName | ChaosSchedule;
  /** The preset name, or the schedule file as given. */
  readonly chaosLabel: string;
  readonly seed: number;
  readonly clock: 'virtual' | 'real';
  /** False when `--clock` was not given: a target that requires the real clock (a real broker) then gets it. */
  readonly clockGiven?: boolean;
  readonly thresholds: Readonly<Record<string, readonly string[]>>;
  /** Absolute path of the target module; the reference target when undefined. */
  readonly target: string | undefined;
  /** The target module relative to the working directory, `/`-separated, as Vitest names test files. */
  readonly targetFile: string | undefined;
  /** `--target` as given, for messages. */
  readonly targetArg: string | undefined;
  readonly targetOptions: JsonObject;
  readonly profile: 'at-least-once' | 'exactly-once';
  readonly compare: boolean;
  /** Absolute output directory. */
  readonly out: string;
  readonly json: boolean;
  /** The arguments as given, for the replay command. */
  readonly argv: readonly string[];
}

/** `--chaos` alone means the original system's chaos mode: the next argument is taken only if it is not a flag. */
function expandOptionalChaos(argv: readonly string[]): string[] {
  const out: string[] = [];
  argv.forEach((arg, i) => {
    out.push(arg);
    const next = argv[i + 1];
    if (arg === '--chaos' && (next === undefined || next.startsWith('-'))) out.push('original');
  });
  return out;
}

function readChaos(value: string, cwd: string): { chaos: ChaosPresetName | ChaosSchedule; label: string } {
  if (isChaosPresetName(value)) return { chaos: value, label: value };
  const expected = `Expected \`--chaos\` to be a preset (${CHAOS_PRESET_NAMES.join(', ')}) or a chaos schedule JSON file`;
  if (!value.endsWith('.json')) throw usageError(`${expected}, got "${value}".`, RUN_USAGE);
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(resolve(cwd, value), 'utf8'));
  } catch (error) {
    throw usageError(
      `${expected}; "${value}" could not be read as JSON: ${(error as Error).message}.`,
      RUN_USAGE,
    );
  }
  return { chaos: validateChaosSchedule(parsed, `--chaos ${value}`) as ChaosSchedule, label: value };
}

function choice<T extends string>(
  value: string | undefined,
  flag: string,
  choices: readonly T[],
  fallback: T,
): T {
  if (value === undefined) return fallback;
  if (!(choices as readonly string[]).includes(value)) {
    throw usageError(
      `Expected \`--${flag}\` to be ${choices.map((c) => `"${c}"`).join(' or ')}, got "${value}".`,
      RUN_USAGE,
    );
  }
  return value as T;
}

function targetOptions(text: string | undefined, store: string | undefined): JsonObject {
  let options: JsonObject = {};
  if (text !== undefined) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      throw usageError(
        `Expected \`--target-options\` to be a JSON object such as '{"capacity":500}', got ${JSON.stringify(text)}.`,
        RUN_USAGE,
      );
    }
    options = parsed as JsonObject;
  }
  const kind = choice(store, 'store', ['memory', 'file'] as const, 'memory');
  return store === undefined ? options : { ...options, store: kind };
}

/** Parses and validates `vitest-stress run` arguments; bad input throws `ERR_CLI_USAGE` naming the flag. */
export function parseRunSettings(argv: readonly string[], cwd: string): RunSettings {
  const { values } = parseFlags(expandOptionalChaos(argv), RUN_FLAGS, RUN_USAGE);
  const flag = (name: string): string | undefined => stringFlag(values, name);
  const agents = integerFlag(flag('agents'), 'agents', { min: 1, max: 10_000 }, RUN_USAGE) ?? 9;
  const rate =
    numberFlag(
      flag('rate'),
      'rate',
      { min: 0, max: 1e9, unit: 'deliveries per agent per second' },
      RUN_USAGE,
    ) ?? 25;
  const explicit = integerFlag(
    flag('messages-per-agent'),
    'messages-per-agent',
    { min: 1, max: 10_000_000 },
    RUN_USAGE,
  );
  const duration = numberFlag(
    flag('duration'),
    'duration',
    { min: 0, max: 86_400, unit: 'seconds' },
    RUN_USAGE,
  );
  if (explicit !== undefined && duration !== undefined) {
    throw usageError(
      'Give either `--messages-per-agent` or `--duration` (which sets it to rate × duration), not both.',
      RUN_USAGE,
    );
  }
  const messagesPerAgent =
    explicit ?? (duration === undefined ? 100 : Math.max(1, Math.round(rate * duration)));
  const chaosValue = flag('chaos');
  const { chaos, label } =
    chaosValue === undefined ? { chaos: 'none' as const, label: 'none' } : readChaos(chaosValue, cwd);
  const seed = integerFlag(flag('seed'), 'seed', { min: -0x8000_0000, max: 0xffff_ffff }, RUN_USAGE) ?? 1;
  const thresholds: Record<string, string[]> = {};
  for (const text of listFlag(values, 'threshold')) {
    const { metric, expression } = thresholdFlag(text, RUN_USAGE);
    thresholds[metric] = [...(thresholds[metric] ?? []), expression];
  }
  const compare = values.compare === true;
  if (compare && label !== 'none') {
    throw usageError(
      '`--compare` runs without chaos (the real inbox core cannot take injected faults); drop `--chaos`.',
      RUN_USAGE,
    );
  }
  const target = flag('target');
  if (target !== undefined && flag('store') !== undefined) {
    throw usageError(
      '`--store` configures the reference target; with `--target`, pass your options in `--target-options`.',
      RUN_USAGE,
    );
  }
  return {
    help: values.help === true,
    agents,
    messagesPerAgent,
    rate,
    mix: mixFlag(flag('mix'), RUN_USAGE),
    chaos,
    chaosLabel: label,
    seed,
    clock: choice(flag('clock'), 'clock', ['virtual', 'real'] as const, 'virtual'),
    clockGiven: flag('clock') !== undefined,
    thresholds,
    target: target === undefined ? undefined : resolve(cwd, target),
    targetFile: target === undefined ? undefined : relative(cwd, resolve(cwd, target)).split(sep).join('/'),
    targetArg: target,
    targetOptions: targetOptions(flag('target-options'), flag('store')),
    profile: choice(flag('profile'), 'profile', ['at-least-once', 'exactly-once'] as const, 'at-least-once'),
    compare,
    out: resolve(cwd, flag('out') ?? 'logs'),
    json: values.json === true,
    argv,
  };
}
