/** A value that survives `JSON.stringify` → `JSON.parse` unchanged. */
export type JsonValue = null | boolean | number | string | readonly JsonValue[] | JsonObject;

/** A JSON-plain object. */
export interface JsonObject {
  readonly [key: string]: JsonValue;
}

/**
 * True when all of `value` is JSON-plain: the fast check of the hot path (every enqueued message's metadata),
 * allocating no path strings; {@link findNonJsonValue} names the culprit once this said no.
 */
export function isJsonPlain(value: unknown, seen?: Set<object>): boolean {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return true;
  if (typeof value === 'number') return Number.isFinite(value);
  if (typeof value !== 'object') return false;
  if (seen?.has(value)) return false;
  if (Array.isArray(value)) {
    if (value.length === 0) return true;
    const inside = seen ?? new Set<object>();
    inside.add(value);
    for (let i = 0; i < value.length; i++) if (!isJsonPlain(value[i], inside)) return false;
    inside.delete(value);
    return true;
  }
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return false;
  let inside = seen;
  for (const key in value) {
    if (!Object.hasOwn(value, key)) continue;
    const item = (value as Record<string, unknown>)[key];
    if (typeof item === 'object' && item !== null) {
      // Only nesting can cycle: the set of objects on the way is made when the first one appears.
      inside ??= new Set<object>();
      inside.add(value);
      if (!isJsonPlain(item, inside)) return false;
      inside.delete(value);
    } else if (!isJsonPlain(item)) return false;
  }
  return true;
}

/**
 * Returns the path of the first part of `value` that is not JSON-plain (a Map, Date, BigInt, function,
 * undefined, NaN, a class instance, a cycle), or `undefined` when all of it is.
 */
export function findNonJsonValue(value: unknown, path = '$', seen = new Set<object>()): string | undefined {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return undefined;
  if (typeof value === 'number') return Number.isFinite(value) ? undefined : path;
  if (typeof value !== 'object') return path;
  if (seen.has(value)) return path;
  seen.add(value);
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const bad = findNonJsonValue(value[i], `${path}[${i}]`, seen);
      if (bad !== undefined) return bad;
    }
  } else {
    const proto = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null) return path;
    for (const [key, item] of Object.entries(value)) {
      const bad = findNonJsonValue(item, `${path}.${key}`, seen);
      if (bad !== undefined) return bad;
    }
  }
  seen.delete(value);
  return undefined;
}
