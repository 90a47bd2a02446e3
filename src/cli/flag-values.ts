import { parseThreshold } from '../engine/index.ts';
import { MESSAGE_TYPES, type MessageType } from '../protocol/index.ts';
import { usageError } from './cli-error.ts';

/** An integer flag within bounds, e.g. `--agents 9`; anything else is a usage error naming the flag. */
export function integerFlag(
  text: string | undefined,
  flag: string,
  bounds: { min: number; max: number },
  usage: string,
): number | undefined {
  if (text === undefined) return undefined;
  const value = /^[-+]?\d+$/.test(text.trim()) ? Number(text) : Number.NaN;
  if (!Number.isSafeInteger(value) || value < bounds.min || value > bounds.max) {
    throw usageError(
      `Expected \`--${flag}\` to be an integer from ${bounds.min} to ${bounds.max}, got "${text}".`,
      usage,
    );
  }
  return value;
}

/** A number flag above `min` (exclusive unless `inclusive`), e.g. `--rate 25`. */
export function numberFlag(
  text: string | undefined,
  flag: string,
  bounds: { min: number; max: number; inclusive?: boolean; unit?: string },
  usage: string,
): number | undefined {
  if (text === undefined) return undefined;
  const value = /^[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/.test(text.trim()) ? Number(text) : Number.NaN;
  const aboveMin = bounds.inclusive ? value >= bounds.min : value > bounds.min;
  if (!Number.isFinite(value) || !aboveMin || value > bounds.max) {
    const range = `${bounds.inclusive ? 'at least' : 'above'} ${bounds.min}${bounds.max < Number.MAX_VALUE ? ` and at most ${bounds.max}` : ''}`;
    throw usageError(
      `Expected \`--${flag}\` to be a number ${range}${bounds.unit ? ` (${bounds.unit})` : ''}, got "${text}".`,
      usage,
    );
  }
  return value;
}

/** A tolerance such as `10%` or `0.1`, as a fraction. */
export function toleranceFlag(text: string | undefined, flag: string, usage: string): number | undefined {
  if (text === undefined) return undefined;
  const trimmed = text.trim();
  const percent = trimmed.endsWith('%');
  const number = percent ? trimmed.slice(0, -1) : trimmed;
  const value = /^(\d+(\.\d*)?|\.\d+)$/.test(number) ? Number(number) / (percent ? 100 : 1) : Number.NaN;
  if (!Number.isFinite(value) || value > 10 || (!percent && value > 1)) {
    throw usageError(
      `Expected \`--${flag}\` to be a percentage such as 10% or a fraction such as 0.1, got "${text}".`,
      usage,
    );
  }
  return value;
}

/** The seed's message type names, mapped to the protocol's types. */
const TYPE_ALIASES: Readonly<Record<string, MessageType>> = {
  direct: 'system_to_agent',
  hard_onboard: 'onboarding',
  soft_onboard: 'onboarding',
};

/**
 * A message mix: `system_to_agent=0.5,broadcast=0.25,onboarding=0.25`, or a bare list of types sharing
 * equally (the seed's `direct,broadcast,hard_onboard,soft_onboard` works: direct is system_to_agent and both
 * onboardings are onboarding).
 */
export function mixFlag(
  text: string | undefined,
  usage: string,
): Partial<Record<MessageType, number>> | undefined {
  if (text === undefined) return undefined;
  const parts = text
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '');
  const bad = (why: string): never => {
    throw usageError(
      `Expected \`--mix\` to be type=share pairs such as "system_to_agent=0.5,broadcast=0.5" or a list of types, ${why}.`,
      usage,
    );
  };
  if (parts.length === 0) bad('got nothing');
  const weighted = parts.every((part) => part.includes('='));
  if (!weighted && parts.some((part) => part.includes('='))) bad('got a mix of both forms');
  const mix: Partial<Record<MessageType, number>> = {};
  for (const part of parts) {
    const [rawName = '', rawShare] = part.split('=');
    const name = TYPE_ALIASES[rawName] ?? rawName;
    if (!(MESSAGE_TYPES as readonly string[]).includes(name)) {
      bad(`got unknown type "${rawName}" (known: ${MESSAGE_TYPES.join(', ')})`);
    }
    const share = weighted ? Number(rawShare) : 1 / parts.length;
    if (!Number.isFinite(share) || share < 0 || share > 1) bad(`got share "${rawShare}" for ${rawName}`);
    mix[name as MessageType] = (mix[name as MessageType] ?? 0) + share;
  }
  const sum = Object.values(mix).reduce((total, share) => total + share, 0);
  if (Math.abs(sum - 1) > 1e-9) bad(`got shares summing to ${Number(sum.toFixed(6))} instead of 1`);
  return mix;
}

/** A threshold flag `metric<op>value`, e.g. `success_rate>=0.99` or `latency_stats.p95_ms<50`. */
export function thresholdFlag(text: string, usage: string): { metric: string; expression: string } {
  const match = /^\s*([A-Za-z_][\w.-]*)\s*(<=|>=|==|!=|<|>)\s*(.+?)\s*$/.exec(text);
  if (match === null) {
    throw usageError(
      `Expected \`--threshold\` to be <metric><operator><number> such as "success_rate>=0.99" or "latency_stats.p95_ms<50", got "${text}".`,
      usage,
    );
  }
  const expression = `${match[2]} ${match[3]}`;
  try {
    parseThreshold(expression, match[1]);
  } catch {
    throw usageError(
      `Expected \`--threshold\` "${text}" to end in a number, such as "success_rate>=0.99", got "${match[3]}".`,
      usage,
    );
  }
  return { metric: match[1] as string, expression };
}
