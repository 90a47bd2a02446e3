import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { moduleSpecifiers } from '../../../src/validate/integration/module-specifiers.ts';

describe('moduleSpecifiers', () => {
  it('reads every way a module can be loaded, and marks type-only ones', () => {
    const source = [
      "import a from './a.ts';",
      "import type { B } from 'b';",
      "export { c } from 'c';",
      "export type { D } from 'd';",
      "import e = require('e');",
      "const f = await import('f');",
      "const g = require('g');",
      "const h = createRequire(import.meta.url)('h');",
      "const i = module.createRequire(import.meta.url)('i');",
      'const j = await import(somewhere);',
      "const text = 'k: not an import';",
    ].join('\n');
    const file = ts.createSourceFile('x.ts', source, ts.ScriptTarget.Latest, true);
    expect(
      moduleSpecifiers(ts, file).map(({ specifier, runtime, via }) => `${specifier} ${via} ${runtime}`),
    ).toEqual([
      './a.ts import true',
      'b import false',
      'c export from true',
      'd export from false',
      'e require true',
      'f import() true',
      'g require true',
      'h require true',
      'i require true',
    ]);
  });
});
