import { parseThresholds } from '../engine/metrics/threshold.ts';
import { resolveStressOptions } from '../engine/runner/stress-options.ts';
import { resolveWorkloadOptions } from '../engine/workload/workload-options.ts';
import { describeValue, findNonJsonValue, invalidOption, StressError } from '../protocol/index.ts';
import { STRESS_RUN_SETTING_KEYS, type StressRunSettings } from './stress-settings.ts';

const KNOWN = new Set<string>(STRESS_RUN_SETTING_KEYS);

/**
 * Throws `ERR_INVALID_OPTION` naming the first part of `value` that cannot travel by structured clone or JSON
 * (a function, a class instance, undefined, NaN...), instead of the worker's "could not be cloned" crash.
 */
export function assertJsonPlain(value: unknown, name: string): void {
  const bad = findNonJsonValue(value, name);
  if (bad === undefined) return;
  let found: unknown = value;
  for (const part of bad.slice(name.length).match(/[^.[\]]+/g) ?? []) {
    found = (found as Record<string, unknown> | undefined)?.[part];
  }
  const hint =
    typeof found === 'function'
      ? " Functions cannot reach the test workers: give the target as a module path (`target: './src/my-target.ts'`) and compute values in the test instead."
      : ' Only JSON values (objects, arrays, strings, finite numbers, booleans, null) reach the test workers.';
  throw new StressError(
    'ERR_INVALID_OPTION',
    `Expected \`${bad}\` to be JSON-plain, got ${describeValue(found)}.${hint}`,
    { details: { path: bad } },
  );
}

/**
 * Validates settings once at the boundary (project config, `meta.stress`, `stress.run()` overrides): JSON-plain,
 * known keys, and every value the engine would reject, with the same coded errors. `name` prefixes paths.
 */
export function validateStressSettings(settings: unknown, name: string): StressRunSettings {
  if (typeof settings !== 'object' || settings === null || Array.isArray(settings)) {
    throw invalidOption(name, 'an object of stress settings', settings);
  }
  assertJsonPlain(settings, name);
  for (const key of Object.keys(settings)) {
    if (!KNOWN.has(key)) {
      throw invalidOption(
        `${name}.${key}`,
        `one of the known settings (${STRESS_RUN_SETTING_KEYS.join(', ')})`,
        key,
      );
    }
  }
  const s = settings as StressRunSettings;
  if (s.target !== undefined && (typeof s.target !== 'string' || s.target.length === 0)) {
    throw invalidOption(`${name}.target`, 'a module path such as "./src/stress-target.ts"', s.target);
  }
  try {
    resolveWorkloadOptions(s);
    resolveStressOptions({ ...s, target: () => Promise.reject(new Error('unused')) });
    if (s.thresholds !== undefined) parseThresholds(s.thresholds);
  } catch (error) {
    if (!StressError.is(error)) throw error;
    const path = typeof error.details.path === 'string' ? `${name}.${error.details.path}` : name;
    throw new StressError(
      error.code,
      error.message.replace(/^\[vitest-stress\] /, `[vitest-stress] ${name}: `),
      {
        cause: error,
        details: { ...error.details, path },
      },
    );
  }
  return s;
}
