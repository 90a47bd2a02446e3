import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RunMetricsFile } from '../../src/report/index.ts';
import { tempDir } from '../support/temp-dir.ts';

// The package as users get it: `npm pack`, installed with the pinned vitest into a fresh project, driven through
// the public API only. Everything here goes through the tarball, never through src/.

const exec = promisify(execFile);
const ROOT = resolve(import.meta.dirname, '../..');
const CONSUMER = join(ROOT, 'fixtures/consumer');
const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as {
  packages: Record<string, { version: string }>;
};
const pinned = (name: string): string => `${name}@${lock.packages[`node_modules/${name}`]!.version}`;

interface Outcome {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

async function run(command: string, args: readonly string[], cwd: string): Promise<Outcome> {
  const env: NodeJS.ProcessEnv = { ...process.env, CI: 'true', NO_COLOR: '1' };
  delete env.FORCE_COLOR;
  delete env.GITHUB_STEP_SUMMARY;
  // Vitest sets these in its workers; a child Vitest must start clean.
  for (const name of Object.keys(env)) if (name.startsWith('VITEST') || name === 'TEST') delete env[name];
  try {
    const { stdout, stderr } = await exec(command, [...args], { cwd, env, maxBuffer: 64 << 20 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return {
      code: typeof failed.code === 'number' ? failed.code : 1,
      stdout: failed.stdout ?? '',
      stderr: failed.stderr ?? '',
    };
  }
}

let work: string;
let tarball: string;
let esm: string;

beforeAll(async () => {
  work = tempDir('vitest-stress-tarball-');
  // dist/ is built by `npm test` before Vitest runs; --ignore-scripts keeps `prepare` from building it again.
  const packed = await run('npm', ['pack', '--ignore-scripts', '--silent', '--pack-destination', work], ROOT);
  expect(packed.code, packed.stderr).toBe(0);
  tarball = join(work, packed.stdout.trim().split('\n').at(-1)!);
  esm = join(work, 'esm');
  cpSync(join(CONSUMER, 'esm'), esm, { recursive: true });
  writeFileSync(
    join(esm, 'package.json'),
    JSON.stringify({ name: 'consumer-esm', private: true, type: 'module' }),
  );
  const installed = await run(
    'npm',
    [
      'install',
      '--prefer-offline',
      '--no-audit',
      '--no-fund',
      '--ignore-scripts',
      tarball,
      pinned('vitest'),
      pinned('typescript'),
      pinned('@types/node'),
      // The CLI loads TypeScript targets through tsx (an optional peer: Node 20 cannot strip types).
      pinned('tsx'),
      // The optional peers of `vitest-stress/bullmq`, so its USAGE example compiles as a user would have it.
      pinned('bullmq'),
      pinned('ioredis'),
      // The optional peers of the Jest front end, for the Jest run of the same project.
      pinned('jest'),
      pinned('jest-environment-node'),
    ],
    esm,
  );
  expect(installed.code, installed.stderr).toBe(0);
}, 300_000);

describe('the packed tarball in a fresh ESM project', () => {
  it('ships dist, docs, the schema and the license, and nothing from src or the tests', async () => {
    const listed = await run('tar', ['-tzf', tarball], work);
    const files = listed.stdout.split('\n').filter(Boolean);
    expect(files).toEqual(
      expect.arrayContaining([
        'package/LICENSE',
        'package/docs/USAGE.md',
        'package/docs/metrics.schema.json',
        'package/dist/index.js',
      ]),
    );
    expect(files.filter((file) => /^package\/(src|test|fixtures|bench)\//.test(file))).toEqual([]);
  });

  it('has correct types for every entry point (arethetypeswrong, ESM-only profile)', async () => {
    const attw = await run(
      join(ROOT, 'node_modules/.bin/attw'),
      // One rule is ignored: `false-export-default` for `jest-environment` from CommonJS. Its bundle is esbuild's
      // `module.exports = __toCommonJS(...)`, an `__esModule` object whose `default` is the class, as its `.d.cts`
      // says; the CommonJS consumer below checks that at runtime and compiles a default import of it.
      [tarball, '--profile', 'esm-only', '--ignore-rules', 'false-export-default', '--format', 'ascii'],
      work,
    );
    expect(attw.code, attw.stdout + attw.stderr).toBe(0);
  });

  it('runs `npx vitest run --project stress`: exit 0, no stderr noise, a metrics file with every test', async () => {
    const result = await run('npx', ['vitest', 'run', '--project', 'stress'], esm);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.stderr).not.toMatch(/Sourcemap|points to missing source|warning/i);
    expect(result.stdout).toMatch(/vitest-stress\s+PASS\s+3 tests: 3 passed/);
    const logs = join(esm, 'logs');
    const metrics = readdirSync(logs).filter((name) => /^stress_test_metrics_\d{8}_\d{6}\.json$/.test(name));
    expect(metrics).toHaveLength(1);
    const file = JSON.parse(readFileSync(join(logs, metrics[0]!), 'utf8')) as RunMetricsFile;
    expect(file.verdict).toMatchObject({ ok: true, tests: 3, passed: 3 });
    expect(file.tests.map((test) => [test.name, test.file, test.runs])).toEqual([
      ['delivers everything', 'test/mailbox.stress.test.ts', 1],
      ['per-test agents', 'test/mailbox.stress.test.ts', 1],
      ['survives delivery failures', 'test/mailbox.stress.test.ts', 5],
    ]);
    expect(file.tests[0]?.metrics?.run.agents).toBe(3);
    expect(file.tests[1]?.metrics?.run.agents).toBe(5);
    expect(file.tests[0]?.metrics?.success_rate).toBe(1);
    expect(file.tests[1]?.metrics?.success_rate).toBe(1);
    // The chaos property injects delivery failures, so its dead letters lower the totals' success rate; it loses
    // nothing, and the totals add up over every run.
    expect(file.tests[2]?.all_runs?.lost).toBe(0);
    const totals = file.totals!;
    expect(totals.runs).toBe(7);
    expect(totals.success_count + totals.failure_count).toBe(totals.total_processed);
    expect(totals.success_rate).toBe(totals.success_count / totals.total_processed);
  });

  it('runs `npx jest --selectProjects stress` through the CommonJS bundles: the same metrics file, the real version', async () => {
    const result = await run('npx', ['jest', '--selectProjects', 'stress'], esm);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.stderr).toMatch(/Tests:\s+2 passed, 2 total/);
    const logs = join(esm, 'logs');
    const metrics = readdirSync(logs)
      .filter((name) => /^stress_test_metrics_\d{8}_\d{6}\.json$/.test(name))
      .map((name) => JSON.parse(readFileSync(join(logs, name), 'utf8')) as RunMetricsFile)
      .filter((file) => file.tests.some((test) => test.file.startsWith('test-jest/')));
    expect(metrics).toHaveLength(1);
    const [file] = metrics;
    expect(file?.verdict).toMatchObject({ ok: true, tests: 2, passed: 2 });
    // The bundles find the package's own files: the version, not "unknown".
    expect(file?.tool_version).toBe(JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version);
    expect(file?.tests.map((test) => test.metrics?.run.agents)).toEqual([3, 5]);
  });

  it('runs the CLI: --version, run, validate integration, report', async () => {
    const version = await run('npx', ['vitest-stress', '--version'], esm);
    expect(version.stdout.trim()).toBe(JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version);
    const cli = await run(
      'npx',
      [
        'vitest-stress',
        'run',
        '--target',
        'src/adapter.ts',
        '--agents',
        '2',
        '--messages-per-agent',
        '10',
        '--out',
        'cli-logs',
      ],
      esm,
    );
    expect(cli.code, cli.stdout + cli.stderr).toBe(0);
    expect(cli.stderr).toBe('');
    const [written] = readdirSync(join(esm, 'cli-logs')).filter((name) => name.endsWith('.json'));
    const file = JSON.parse(readFileSync(join(esm, 'cli-logs', written!), 'utf8')) as RunMetricsFile;
    expect(file.tests[0]).toMatchObject({ file: 'src/adapter.ts', options: { target: 'src/adapter.ts' } });
    const validated = await run('npx', ['vitest-stress', 'validate', 'integration', 'test'], esm);
    expect(validated.code, validated.stdout + validated.stderr).toBe(0);
    expect(validated.stdout).toContain('Checking the target ./src/adapter.ts named in vitest.config.ts.');
    const report = await run('npx', ['vitest-stress', 'report', join('cli-logs', written!)], esm);
    expect(report.code, report.stderr).toBe(0);
    expect(report.stdout).toContain('PASS');
  });

  it('type-checks with skipLibCheck false under NodeNext and bundler resolution', async () => {
    for (const project of ['tsconfig.json', 'tsconfig.bundler.json']) {
      const tsc = await run(join(esm, 'node_modules/.bin/tsc'), ['-p', project], esm);
      expect(tsc.code, `${project}: ${tsc.stdout}${tsc.stderr}`).toBe(0);
    }
  });
});

describe('the packed tarball from a CommonJS package', () => {
  it('loads through require() and import(), and runs the reference target', async () => {
    const cjs = join(work, 'cjs');
    mkdirSync(cjs);
    cpSync(join(CONSUMER, 'cjs'), cjs, { recursive: true });
    writeFileSync(join(cjs, 'package.json'), JSON.stringify({ name: 'consumer-cjs', private: true }));
    symlinkSync(join(esm, 'node_modules'), join(cjs, 'node_modules'), 'dir');
    const result = await run(process.execPath, ['consumer.cjs'], cjs);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toContain('cjs consumer: 10 delivered');
    // Node 20 notes require(esm) as experimental; nothing else may be printed.
    expect(result.stderr.replace(/.*ExperimentalWarning: .*\n|.*Use `node --trace-warnings.*\n/g, '')).toBe(
      '',
    );

    // A CommonJS TypeScript project (ts-jest's usual setup) type-checks against the Jest entries: the `.d.cts`
    // twins under node16 (ESM declarations there were TS1479), `typesVersions` under node10 (TS2307 before).
    // Under node10, fast-check's own declarations do not resolve pure-rand's, so that config skips lib checks.
    for (const project of ['tsconfig.node16.json', 'tsconfig.node10.json']) {
      const tsc = await run(join(esm, 'node_modules/.bin/tsc'), ['-p', project], cjs);
      expect(tsc.code, `${project}: ${tsc.stdout}${tsc.stderr}`).toBe(0);
    }

    // A TypeScript target in a CommonJS package: tsx compiles it to CommonJS, whose require() of the ESM-only
    // package fails on Node 20 (refused) and on Node 22 (never linked under tsx's hooks); the CLI says so with a
    // code and the fix. Node 24 manages it. The same adapter as .mts runs everywhere.
    cpSync(join(CONSUMER, 'esm/src'), join(cjs, 'src'), { recursive: true });
    const commonJs = await run(
      'npx',
      ['vitest-stress', 'run', '--target', 'src/adapter.ts', '--agents', '2', '--messages-per-agent', '5'],
      cjs,
    );
    if (Number(process.versions.node.split('.')[0]) >= 24) {
      expect(commonJs.code, commonJs.stdout + commonJs.stderr).toBe(0);
      expect(commonJs.stdout).toMatch(/vitest-stress\s+PASS/);
    } else {
      expect(commonJs.code, commonJs.stdout + commonJs.stderr).toBe(2);
      expect(commonJs.stderr).toContain('Rename it to .mts, or set "type": "module"');
    }
    writeFileSync(
      join(cjs, 'src/adapter.mts'),
      readFileSync(join(cjs, 'src/adapter.ts'), 'utf8').replace(
        './mailbox-processor.ts',
        './mailbox-processor.mts',
      ),
    );
    cpSync(join(cjs, 'src/mailbox-processor.ts'), join(cjs, 'src/mailbox-processor.mts'));
    const mts = await run(
      'npx',
      ['vitest-stress', 'run', '--target', 'src/adapter.mts', '--agents', '2', '--messages-per-agent', '5'],
      cjs,
    );
    expect(mts.code, mts.stdout + mts.stderr).toBe(0);
    expect(mts.stdout).toMatch(/vitest-stress\s+PASS/);
  });
});

/** The TypeScript code blocks of a Markdown file, with the path their first-line comment names, if any. */
function codeBlocks(file: string): { name: string; path: string | undefined; code: string }[] {
  const text = readFileSync(join(ROOT, file), 'utf8');
  return [...text.matchAll(/```ts\n([\s\S]*?)```/g)].map((match, index) => {
    const code = match[1]!;
    const named = /^\/\/ ([\w./-]+\.ts)\n/.exec(code);
    return { name: `${file.replace(/\W+/g, '-')}-${index}`, path: named?.[1], code };
  });
}

describe('the code examples in README.md and docs/USAGE.md, against the packed tarball', () => {
  const blocks = [...codeBlocks('README.md'), ...codeBlocks('docs/USAGE.md')];

  it('finds them', () => {
    expect(blocks.length).toBeGreaterThanOrEqual(8);
  });

  it('compiles every one, runs the stress tests under Vitest and the scripts under tsx', async () => {
    const docs = join(esm, 'docs-examples');
    const stressTests: string[] = [];
    const scripts: string[] = [];
    for (const block of blocks) {
      // Jest examples compile in a program of their own: Vitest's and Jest's matcher types cannot share one.
      const jest = block.code.includes("from 'vitest-stress/jest'");
      // Each example in its own folder, at the path it names (so its relative imports resolve as written).
      const file = join(
        jest ? `${docs}-jest` : docs,
        block.name,
        // A Jest example under a name no Vitest project of the consumer matches.
        jest
          ? 'example.jest.ts'
          : (block.path ?? (block.code.includes('stressTest') ? 'example.stress.test.ts' : 'example.ts')),
      );
      mkdirSync(join(file, '..'), { recursive: true });
      writeFileSync(file, block.code);
      if (block.code.includes("from '../../src/my-processor.ts'")) {
        mkdirSync(join(docs, block.name, 'src'), { recursive: true });
        cpSync(join(CONSUMER, 'docs/my-processor.ts'), join(docs, block.name, 'src/my-processor.ts'));
      }
      // Jest examples are only compiled here; the Jest e2e and `npm run stress:jest` run Jest code.
      if (jest) continue;
      if (/stressTest(\.chaos)?\(/.test(block.code)) stressTests.push(file);
      else if (!/defineConfig|defineStressProject|createTarget/.test(block.code)) scripts.push(file);
    }
    writeFileSync(
      join(docs, 'tsconfig.json'),
      JSON.stringify({
        extends: '../tsconfig.json',
        include: ['**/*.ts'],
        compilerOptions: { noUnusedLocals: false },
      }),
    );
    const tsc = await run(join(esm, 'node_modules/.bin/tsc'), ['-p', 'docs-examples/tsconfig.json'], esm);
    expect(tsc.code, tsc.stdout + tsc.stderr).toBe(0);
    writeFileSync(
      join(`${docs}-jest`, 'tsconfig.json'),
      JSON.stringify({
        extends: '../tsconfig.json',
        include: ['**/*.ts'],
        compilerOptions: { noUnusedLocals: false },
      }),
    );
    const tscJest = await run(
      join(esm, 'node_modules/.bin/tsc'),
      ['-p', 'docs-examples-jest/tsconfig.json'],
      esm,
    );
    expect(tscJest.code, tscJest.stdout + tscJest.stderr).toBe(0);

    // The stress tests, against the embedded reference target, with fast-check's seed fixed so the run is exact.
    expect(stressTests.length).toBeGreaterThanOrEqual(3);
    writeFileSync(
      join(docs, 'vitest.config.ts'),
      "import { defineConfig } from 'vitest/config';\nimport { defineStressProject } from 'vitest-stress/vitest';\nexport default defineConfig({ test: { projects: [defineStressProject({ include: ['**/*.stress.test.ts'], outputDir: 'docs-logs' })] } });\n",
    );
    const vitest = await run(
      'env',
      [
        'STRESS_SEED=1',
        'npx',
        'vitest',
        'run',
        '--config',
        'docs-examples/vitest.config.ts',
        '--project',
        'stress',
      ],
      esm,
    );
    expect(vitest.code, vitest.stdout + vitest.stderr).toBe(0);
    expect(vitest.stdout).toMatch(/vitest-stress\s+PASS/);

    expect(scripts.length).toBeGreaterThanOrEqual(1);
    for (const script of scripts) {
      const result = await run(join(esm, 'node_modules/.bin/tsx'), [script], esm);
      expect(result.code, `${script}: ${result.stdout}${result.stderr}`).toBe(0);
      expect(result.stderr).toBe('');
    }
  });
});
