import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as root from '../src/index.ts';
import { runStress as nodeRunStress } from '../src/node/run-stress.ts';

describe('the root entry `vitest-stress`', () => {
  it('is an explicit list of names, not whole layers re-exported', () => {
    const source = readFileSync(new URL('../src/index.ts', import.meta.url), 'utf8');
    expect(source).not.toMatch(/^export \*/m);
  });

  it("has one runStress, Node's (the reference target by default), not the engine's target-only form", () => {
    expect(root.runStress).toBe(nodeRunStress);
  });

  it('leaves out real delivery and the internals users have no use for', () => {
    for (const name of [
      'InboxMessagingCore',
      'readInbox',
      'ATOMIC_TEMP_SUFFIX',
      'REFERENCE_STORE_TEMP_PREFIX',
    ]) {
      expect(Object.keys(root)).not.toContain(name);
    }
  });
});
