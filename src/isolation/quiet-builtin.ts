import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** An experimental built-in module, loaded without printing its warning, and how to print it later. */
export interface QuietBuiltin {
  readonly module: Record<string, unknown>;
  /** Prints the warning held back at load, once; does nothing when none was (the module was loaded before). */
  readonly warnOnce: () => void;
}

/**
 * Loads `node:<name>`, holding back the experimental warning Node prints (once per process) when it loads, so
 * a guarded run that never uses the module prints nothing; the caller prints it on first real use. Throws when
 * this Node has no such module.
 */
export function requireQuietly(name: string, warning: RegExp): QuietBuiltin {
  const loaded = (process as { moduleLoadList?: string[] }).moduleLoadList?.includes(`NativeModule ${name}`);
  const emit = process.emitWarning;
  let held: string | undefined;
  if (!loaded) {
    process.emitWarning = ((text: string | Error, ...rest: unknown[]) => {
      if (warning.test(String(text))) held = String(text);
      else (emit as (...args: unknown[]) => void).call(process, text, ...rest);
    }) as typeof process.emitWarning;
  }
  let module: Record<string, unknown>;
  try {
    module = require(`node:${name}`) as Record<string, unknown>;
  } finally {
    process.emitWarning = emit;
  }
  return {
    module,
    warnOnce: () => {
      if (held === undefined) return;
      const text = held;
      held = undefined;
      process.emitWarning(text, 'ExperimentalWarning');
    },
  };
}

/** The class `cls`, printing the module's held-back warning when it first builds something, as Node would have. */
export function warnOnConstruct<C extends object>(cls: C, quiet: QuietBuiltin): C {
  return new Proxy(cls, {
    construct(target, args, newTarget) {
      const made = Reflect.construct(target as new (...a: unknown[]) => object, args, newTarget);
      quiet.warnOnce();
      return made;
    },
  });
}
