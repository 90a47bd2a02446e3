import { isAbsolute, resolve } from 'node:path';
import type { StressTargetFactory } from '../engine/index.ts';
import { describeValue, StressError } from '../protocol/index.ts';
import { createReferenceTarget } from '../reference/reference-target.ts';

const loaded = new Map<string, Promise<StressTargetFactory>>();

async function importFactory(file: string, modulePath: string): Promise<StressTargetFactory> {
  let module: { createTarget?: unknown; default?: unknown };
  try {
    // Imported from the test file's context so Vite transforms it (TypeScript targets work) and no function
    // ever has to cross the structured clone from the config.
    module = (await import(/* @vite-ignore */ file)) as typeof module;
  } catch (error) {
    throw new StressError(
      'ERR_TARGET_MODULE',
      `Expected the target module \`${modulePath}\` (${file}) to load, but importing it failed: ${(error as Error)?.message ?? String(error)}.`,
      { cause: error, details: { path: file } },
    );
  }
  const factory = module.createTarget ?? module.default;
  if (typeof factory !== 'function') {
    throw new StressError(
      'ERR_TARGET_MODULE',
      `Expected the target module \`${modulePath}\` to export \`createTarget\` or a default export that is a StressTargetFactory ((context) => StressTarget), got ${describeValue(factory)}.`,
      { details: { path: file } },
    );
  }
  return factory as StressTargetFactory;
}

/**
 * Loads the target factory a stress setting names: the module's `createTarget` (or default export), imported
 * once per file and path; the reference MessageQueueProcessor when `modulePath` is undefined.
 */
export function loadTargetFactory(
  modulePath: string | undefined,
  root: string,
): Promise<StressTargetFactory> {
  if (modulePath === undefined) return Promise.resolve(createReferenceTarget());
  const file = isAbsolute(modulePath) ? modulePath : resolve(root, modulePath);
  let factory = loaded.get(file);
  if (factory === undefined) {
    factory = importFactory(file, modulePath);
    loaded.set(file, factory);
  }
  return factory;
}
