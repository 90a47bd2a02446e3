import { describe, expect, it } from 'vitest';
import { findUserFrame } from '../../src/isolation/user-frame.ts';

const GUARD = '/pkg/src/isolation/';

describe('findUserFrame', () => {
  it('skips the guard, node_modules, Node internals and anonymous frames', () => {
    const stack = [
      'Error',
      '    at guarded (/pkg/src/isolation/guarded-function.ts:30:22)',
      '    at Object.writeFileSync (node:fs:2350:3)',
      '    at new Promise (<anonymous>)',
      '    at wrap (/pkg/node_modules/some-lib/index.js:1:1)',
      '    at async deliver (file:///work/app/processor.ts:42:7)',
      '    at /work/app/other.ts:1:1',
    ].join('\n');
    expect(findUserFrame(stack, GUARD)).toBe('/work/app/processor.ts:42:7');
  });

  it('reads frames without a function name and gives undefined when only internals remain', () => {
    expect(findUserFrame('Error\n    at /work/app/a.ts:3:9', GUARD)).toBe('/work/app/a.ts:3:9');
    expect(findUserFrame('Error\n    at node:internal/x:1:1\n    at native', GUARD)).toBeUndefined();
    expect(findUserFrame(undefined, GUARD)).toBeUndefined();
  });
});
