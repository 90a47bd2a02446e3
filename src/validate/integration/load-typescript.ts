import type TS from 'typescript';
import { StressError } from '../../protocol/index.ts';

/** The TypeScript compiler API, as the validator uses it. */
export type TypeScriptApi = typeof TS;

/** Loads `typescript` (an optional peer) on demand, with an install hint when it is missing. */
export async function loadTypeScript(): Promise<TypeScriptApi> {
  try {
    const loaded = (await import('typescript')) as { default?: TypeScriptApi } & TypeScriptApi;
    return loaded.default ?? loaded;
  } catch (error) {
    throw new StressError(
      'ERR_TARGET_MODULE',
      'Expected the `typescript` package to be installed to validate stress tests (the validator parses and type-checks them with its compiler API), got none. Install it with `npm install --save-dev typescript`.',
      { cause: error },
    );
  }
}
