import { fileURLToPath } from 'node:url';

/**
 * Node's own test for a URL (`internal/url` `isURL`): anything with `href` and `protocol` and neither `auth` nor
 * `path`, so objects from whatwg-url or jsdom that are not `instanceof URL` are URLs to `fs` as well.
 */
export function isUrlLike(value: unknown): value is URL {
  if (value instanceof URL) return true;
  if (typeof value !== 'object' || value === null) return false;
  const url = value as Record<string, unknown>;
  return Boolean(url.href && url.protocol && url.auth === undefined && url.path === undefined);
}

function isPlainObject(value: object): boolean {
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

function settle(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (value instanceof Uint8Array) {
    // A view over the same bytes, so the guard's checks (which know Buffers) see exactly what Node will use.
    return Buffer.isBuffer(value) ? value : Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  }
  if (isUrlLike(value)) {
    // Read once: a URL (or subclass) whose `pathname` answers differently on a second read gets no second read.
    if (String(value.protocol) !== 'file:') return value;
    try {
      return fileURLToPath(value);
    } catch {
      return value;
    }
  }
  if (Array.isArray(value)) return value;
  if (!isPlainObject(value)) return value;
  // Options objects: every getter read once, here; the guard and Node then read the same copy.
  return Object.assign(Object.create(Object.getPrototypeOf(value) as object | null) as object, value);
}

/**
 * The arguments a guarded call checks and then passes on: file URLs (and URL-like objects) turned into the path
 * Node would use, byte arrays into Buffers over the same memory, plain options objects copied once. Checking one
 * value and letting Node read another is how getters and changing URLs slipped past the guard.
 */
export function settleArguments(args: readonly unknown[]): unknown[] {
  return args.map(settle);
}
