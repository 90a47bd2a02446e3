import { describe, expect, it } from 'vitest';
import { locateJsonError } from '../../src/io/json-error-position.ts';

describe('locateJsonError', () => {
  it.each([
    ['{"a":\n}', 2, 1],
    ['{"a": 1,}', 1, 9],
    ['{\n  "a": 1\n  "b": 2\n}', 3, 3],
    ['[1, 2', 1, 6],
    ['{"a": tru}', 1, 7],
    ['{"a": "x\u0001"}', 1, 7],
    ['{"a": 01}', 1, 8],
    ['{} x', 1, 4],
    ['', 1, 1],
  ])('finds the error in %j at line %i, column %i', (text, line, column) => {
    expect(() => JSON.parse(text)).toThrow();
    expect(locateJsonError(text)).toMatchObject({ line, column });
  });

  it.each(['{}', '[]', ' {"a": [1, -2.5e3, true, false, null, "\\u00e9\\n"]} ', '"x"', '0'])(
    'finds nothing wrong in valid JSON %j',
    (text) => {
      expect(() => JSON.parse(text)).not.toThrow();
      expect(locateJsonError(text)).toBeUndefined();
    },
  );
});
