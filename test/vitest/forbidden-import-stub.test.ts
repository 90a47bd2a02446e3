import { afterEach, describe, expect, it, vi } from 'vitest';
import { ISOLATION_REGISTRY_KEY } from '../../src/isolation/index.ts';
import {
  forbiddenImportPrologue,
  forbiddenStubId,
  parseForbiddenStubId,
} from '../../src/vitest/forbidden-import-stub.ts';

const global = globalThis as Record<symbol, unknown>;
const saved = global[ISOLATION_REGISTRY_KEY];
const run = (code: string): void => new Function(code)();

afterEach(() => {
  global[ISOLATION_REGISTRY_KEY] = saved;
});

describe('forbidden import stand-ins', () => {
  it('round-trips the target and importer through the virtual id', () => {
    const id = forbiddenStubId('@nut-tree/nut-js', 'C:\\p\\t.ts');
    expect(parseForbiddenStubId(id)).toEqual({ target: '@nut-tree/nut-js', importer: 'C:\\p\\t.ts' });
    expect(parseForbiddenStubId('/p/t.ts')).toBeUndefined();
  });

  it('hands the import to the installed guard', () => {
    const enforce = vi.fn();
    global[ISOLATION_REGISTRY_KEY] = { guard: { installed: true, enforce } };
    run(forbiddenImportPrologue('robotjs', '/p/t.ts', 'block'));
    expect(enforce).toHaveBeenCalledWith({
      kind: 'module',
      target: 'robotjs',
      api: 'import',
      frame: '/p/t.ts',
    });
  });

  it('throws a coded error without a guard in block mode, and lets it load in observe mode', () => {
    global[ISOLATION_REGISTRY_KEY] = undefined;
    expect(() => run(forbiddenImportPrologue('robotjs', null, 'block'))).toThrow(
      expect.objectContaining({
        code: 'ERR_ISOLATION_VIOLATION',
        message: expect.stringContaining('`robotjs`'),
      }),
    );
    expect(() => run(forbiddenImportPrologue('robotjs', null, 'observe'))).not.toThrow();
  });
});
