import { syncBuiltinESMExports } from 'node:module';

interface Patch {
  readonly target: object;
  readonly key: PropertyKey;
  /** Undefined when the property was inherited, so restoring deletes the own property again. */
  readonly original: PropertyDescriptor | undefined;
}

/** Replaces properties and puts back exactly what was there, in reverse order. */
export class PatchSet {
  readonly #patches: Patch[] = [];

  /** Replaces `target[key]` by `make(current)`; skips it when there is no such function (an older Node). */
  replace<T>(target: object, key: PropertyKey, make: (current: T) => T): void {
    const current = (target as Record<PropertyKey, unknown>)[key];
    if (current === undefined) return;
    const original = Object.getOwnPropertyDescriptor(target, key);
    this.#patches.push({ target, key, original });
    Object.defineProperty(target, key, {
      value: make(current as T),
      writable: original?.writable ?? true,
      enumerable: original?.enumerable ?? false,
      configurable: true,
    });
  }

  /** The patched properties, for tests that check every one is restored. */
  entries(): readonly { readonly target: object; readonly key: PropertyKey }[] {
    return this.#patches.map(({ target, key }) => ({ target, key }));
  }

  /** Restores every property and re-syncs the ESM named exports of Node's built-in modules. */
  restore(): void {
    for (const patch of this.#patches.reverse()) {
      if (patch.original === undefined) Reflect.deleteProperty(patch.target, patch.key);
      else Object.defineProperty(patch.target, patch.key, patch.original);
    }
    this.#patches.length = 0;
    syncBuiltinESMExports();
  }

  /** Makes `import { writeFileSync } from 'node:fs'` in ES modules see the patched functions too. */
  sync(): void {
    syncBuiltinESMExports();
  }
}
