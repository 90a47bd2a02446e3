import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { FORBIDDEN_STUB_PREFIX, parseForbiddenStubId } from '../../src/vitest/forbidden-import-stub.ts';
import { stressPlugin } from '../../src/vitest/stress-plugin.ts';

type Hook = (...args: unknown[]) => unknown;
const hook = (plugin: object, name: string): Hook =>
  (plugin as Record<string, Hook>)[name]!.bind({
    resolve: async () => null,
  });

const forbidden = fileURLToPath(
  new URL('../../fixtures/isolation/support/forbidden-delivery.ts', import.meta.url),
);

describe('stressPlugin: forbidden modules under Vite', () => {
  const plugin = stressPlugin({ root: '/', isolation: { forbiddenModules: [forbidden, 'left-pad'] } });

  it('stubs GUI automation and configured packages by specifier, even uninstalled ones', async () => {
    const id = (await hook(plugin, 'resolveId')('robotjs', '/p/test.ts', {})) as string;
    expect(id.startsWith(FORBIDDEN_STUB_PREFIX)).toBe(true);
    expect(parseForbiddenStubId(id)).toEqual({ target: 'robotjs', importer: '/p/test.ts' });
    expect(
      parseForbiddenStubId((await hook(plugin, 'resolveId')('left-pad/lib/x.js', undefined, {})) as string),
    ).toEqual({
      target: 'left-pad',
      importer: null,
    });
  });

  it('leaves every other import alone', async () => {
    for (const source of ['vitest', 'node:fs', './helper.ts', '\0virtual']) {
      expect(await hook(plugin, 'resolveId')(source, '/p/test.ts', {})).toBeNull();
    }
    expect(hook(plugin, 'load')('/p/test.ts')).toBeNull();
  });

  it('loads a stub that hands the import to the guard', () => {
    const code = hook(
      plugin,
      'load',
    )(`${FORBIDDEN_STUB_PREFIX}${encodeURIComponent('{"target":"robotjs","importer":"/p/t.ts"}')}`);
    expect(code).toContain(
      'guard.enforce({"kind":"module","target":"robotjs","api":"import","frame":"/p/t.ts"})',
    );
    expect(code).toContain('export default undefined;');
  });

  it('prefixes forbidden project files with the guard check, by resolved path', () => {
    const result = hook(plugin, 'transform')('export const x = 1;', `${forbidden}?v=1`) as { code: string };
    expect(result.code).toMatch(/guard\.enforce\(.*forbidden-delivery\.ts.*\);\n.*\nexport const x = 1;$/s);
    expect(hook(plugin, 'transform')('export {}', fileURLToPath(import.meta.url))).toBeNull();
  });

  it('does nothing with isolation off', async () => {
    const off = stressPlugin({ isolation: false });
    expect(await hook(off, 'resolveId')('robotjs', undefined, {})).toBeNull();
    expect(hook(off, 'transform')('x', forbidden)).toBeNull();
  });
});

describe('stressPlugin: the reporter', () => {
  function context(name: string, reporters: unknown[]) {
    const provided: Record<string, unknown> = {};
    const config = { root: '/work/p', environmentOptions: {} as Record<string, unknown> };
    return {
      provided,
      config,
      value: {
        vitest: { config: { reporters } },
        project: { config, provide: (key: string, value: unknown) => (provided[key] = value) },
        name,
      },
    };
  }

  it('adds the reporter once, for every stress project, and re-resolves against the project root', () => {
    const reporters: unknown[] = ['default'];
    const a = context('a', reporters);
    hook(stressPlugin({ name: 'a', outputDir: 'out' }), 'configureVitest')(a.value);
    hook(stressPlugin({ name: 'b' }), 'configureVitest')(context('b', reporters).value);
    expect(reporters).toHaveLength(2);
    const [path, options] = reporters[1] as [string, { projects: string[]; outputDir: string }];
    expect(path).toMatch(/reporter\.ts$/);
    expect(options).toEqual({
      projects: ['a', 'b'],
      outputDir: '/work/p/out',
      stepSummary: true,
      protectedPaths: ['/work/p/agent_workspaces', '/work/p/message_queue'],
    });
    expect(a.config.environmentOptions.stress).toMatchObject({ root: '/work/p', name: 'a' });
    expect(a.provided.vitestStress).toMatchObject({ project: { root: '/work/p' } });
  });
});
