import { invalidOption } from '../../protocol/index.ts';
import type { SeededRandom } from '../workload/seeded-random.ts';

/**
 * How long one simulated delivery takes, in virtual milliseconds (JSON-plain):
 * `none` is instant, `fixed` always `ms`, `uniform` is flat between the bounds, and `lognormal` has the long
 * right tail of real networks (half the samples below `medianMs`, spread `sigma`, clipped at `capMs`).
 */
export type LatencyModel =
  | { readonly kind: 'none' }
  | { readonly kind: 'fixed'; readonly ms: number }
  | { readonly kind: 'uniform'; readonly minMs: number; readonly maxMs: number }
  | { readonly kind: 'lognormal'; readonly medianMs: number; readonly sigma: number; readonly capMs: number };

/** The latency of the mock core when none is given: 1-5 ms, the figures the original system's docs report. */
export const DEFAULT_LATENCY: LatencyModel = { kind: 'uniform', minMs: 1, maxMs: 5 };

const MAX_LATENCY_MS = 86_400_000;
const KINDS = '"none", "fixed", "uniform" or "lognormal"';

function milliseconds(value: unknown, path: string): number {
  if (typeof value !== 'number' || !(value >= 0 && value <= MAX_LATENCY_MS)) {
    throw invalidOption(path, `a number of milliseconds from 0 to ${MAX_LATENCY_MS}`, value);
  }
  return value;
}

/** Validates a latency model from user input; `path` names it in errors. */
export function resolveLatencyModel(input: unknown, path = 'latency'): LatencyModel {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw invalidOption(path, `a latency model object with \`kind\` ${KINDS}`, input);
  }
  const model = input as Record<string, unknown>;
  switch (model.kind) {
    case 'none':
      return { kind: 'none' };
    case 'fixed':
      return { kind: 'fixed', ms: milliseconds(model.ms, `${path}.ms`) };
    case 'uniform': {
      const minMs = milliseconds(model.minMs, `${path}.minMs`);
      const maxMs = milliseconds(model.maxMs, `${path}.maxMs`);
      if (maxMs < minMs) throw invalidOption(`${path}.maxMs`, `at least \`minMs\` (${minMs})`, maxMs);
      return { kind: 'uniform', minMs, maxMs };
    }
    case 'lognormal': {
      const medianMs = milliseconds(model.medianMs, `${path}.medianMs`);
      const capMs = milliseconds(model.capMs, `${path}.capMs`);
      const sigma = model.sigma;
      if (typeof sigma !== 'number' || !(sigma >= 0 && sigma <= 10)) {
        throw invalidOption(`${path}.sigma`, 'a number from 0 to 10', sigma);
      }
      if (capMs < medianMs)
        throw invalidOption(`${path}.capMs`, `at least \`medianMs\` (${medianMs})`, capMs);
      return { kind: 'lognormal', medianMs, sigma, capMs };
    }
    default:
      throw invalidOption(`${path}.kind`, KINDS, model.kind);
  }
}

/** Draws one latency in milliseconds from a resolved model; `none` and `fixed` draw nothing from `random`. */
export function sampleLatency(model: LatencyModel, random: SeededRandom): number {
  switch (model.kind) {
    case 'none':
      return 0;
    case 'fixed':
      return model.ms;
    case 'uniform':
      return model.minMs + (model.maxMs - model.minMs) * random.nextFloat();
    case 'lognormal': {
      // Box-Muller; 1 - u keeps the logarithm's argument in (0, 1].
      const u = 1 - random.nextFloat();
      const normal = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random.nextFloat());
      const ms = model.medianMs * Math.exp(model.sigma * normal);
      return Math.min(ms, model.capMs);
    }
  }
}

/** A short readable form for reports, e.g. `uniform 1-5 ms`. */
export function describeLatencyModel(model: LatencyModel): string {
  switch (model.kind) {
    case 'none':
      return 'no latency';
    case 'fixed':
      return `fixed ${model.ms} ms`;
    case 'uniform':
      return `uniform ${model.minMs}-${model.maxMs} ms`;
    case 'lognormal':
      return `lognormal median ${model.medianMs} ms, sigma ${model.sigma}, cap ${model.capMs} ms`;
  }
}
