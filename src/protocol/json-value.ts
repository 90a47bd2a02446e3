/** A value that survives `JSON.stringify` → `JSON.parse` unchanged. */
export type JsonValue = null | boolean | number | string | readonly JsonValue[] | JsonObject;

/** A JSON-plain object. */
export interface JsonObject {
  readonly [key: string]: JsonValue;
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
