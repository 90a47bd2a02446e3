import { lstat, readdir, stat } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import {
  findConfiguredTargets,
  formatFindingsTable,
  INTEGRATION_CHECKS,
  loadTypeScript,
  validateIntegration,
} from '../validate/integration/index.ts';
import { EXIT, usageError } from './cli-error.ts';
import type { CliIo } from './cli-io.ts';
import { integerFlag } from './flag-values.ts';
import { type FlagSpec, listFlag, parseFlags, stringFlag } from './parse-flags.ts';

const USAGE =
  'vitest-stress validate integration [paths...] [--json] (see `vitest-stress validate integration --help`)';

const STRESS_FILE = /\.stress(\.test)?\.[mc]?[jt]s$/;
const SKIPPED = new Set(['node_modules', 'dist', 'coverage', 'fixtures']);

/** `vitest-stress validate integration --help`. */
export const VALIDATE_INTEGRATION_HELP = `Usage: vitest-stress validate integration [paths...] [options]

Statically inspects stress test files, and every project module they import, before anything runs. Checks:
${Object.entries(INTEGRATION_CHECKS)
  .map(([name, description]) => `  ${name.padEnd(20)} ${description}`)
  .join('\n')}
Paths are stress test files or directories (searched for *.stress.ts and *.stress.test.ts). Without paths the
current directory is searched, skipping node_modules, dist, coverage, fixtures and dot-directories; symbolic
links to directories are not followed. Files that cannot be checked (FIFOs, sockets, devices, symlink loops,
files over the size bound, binary, empty or unparsable files) are listed under "Not checked". Target
modules the Vitest config's stress projects name (\`defineStressProject({ target: './my-target.ts' })\`) are
always checked too: the config is parsed, not run.
Exit 0 when everything was checked and nothing found, 1 on a finding, 2 on bad input, 3 when nothing was
found but a file could not be checked or a check could not run.

Options
  --root DIR              directory relative paths resolve against              (default: current directory)
  --protected PATH        repeatable: another path no stress run may write      (default: agent_workspaces, message_queue)
  --forbidden MODULE      repeatable: another module a stress run must not load
  --tsconfig FILE         compiler options to use                               (default: nearest tsconfig.json)
  --allow-network         do not flag network modules (as the guard's allowNetwork)
  --max-file-bytes N      largest file read; larger ones are not checked       (default: 1048576)
  --json                  print the report as JSON
  -h, --help              this help

Examples
  vitest-stress validate integration
  vitest-stress validate integration test/stress --forbidden ./src/real-delivery.ts
`;

const FLAGS: FlagSpec = {
  root: { type: 'string' },
  protected: { type: 'string', multiple: true },
  forbidden: { type: 'string', multiple: true },
  tsconfig: { type: 'string' },
  'allow-network': { type: 'boolean' },
  'max-file-bytes': { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
};

async function stressFiles(directory: string, skipFixtures: boolean): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir(directory, { withFileTypes: true })) {
    if (entry.name.startsWith('.')) continue;
    const path = join(directory, entry.name);
    if (entry.isDirectory()) {
      if (SKIPPED.has(entry.name) && (skipFixtures || entry.name !== 'fixtures')) continue;
      found.push(...(await stressFiles(path, skipFixtures)));
    } else if (STRESS_FILE.test(entry.name)) {
      found.push(path);
    }
  }
  return found.sort();
}

async function expand(paths: readonly string[], root: string): Promise<string[]> {
  if (paths.length === 0) return stressFiles(root, true);
  const files: string[] = [];
  for (const path of paths) {
    const absolute = resolve(root, path);
    if ((await lstat(absolute).catch(() => undefined)) === undefined) {
      throw usageError(`No file or directory "${path}".`, USAGE);
    }
    // A directory named explicitly is searched, fixtures included: the user asked for it. Anything else (a
    // FIFO, a symlink loop) goes to the validator, which reports why it could not check it.
    const info = await stat(absolute).catch(() => undefined);
    files.push(...(info?.isDirectory() === true ? await stressFiles(absolute, false) : [absolute]));
  }
  return files;
}

/** `vitest-stress validate integration`: the static validator over stress test files. */
export async function validateIntegrationCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseFlags(argv, FLAGS, USAGE, Number.POSITIVE_INFINITY);
  if (values.help === true) {
    io.stdout.write(VALIDATE_INTEGRATION_HELP);
    return EXIT.ok;
  }
  const root = resolve(io.cwd, stringFlag(values, 'root') ?? '.');
  const targets = findConfiguredTargets(await loadTypeScript(), root);
  const files = [...new Set([...(await expand(positionals, root)), ...targets.map((target) => target.path)])];
  if (files.length === 0) {
    throw usageError(
      `Found no stress test files (*.stress.ts, *.stress.test.ts) under ${root}; pass their paths.`,
      USAGE,
    );
  }
  const tsconfig = stringFlag(values, 'tsconfig');
  const maxFileBytes = integerFlag(
    stringFlag(values, 'max-file-bytes'),
    'max-file-bytes',
    { min: 1, max: 256 * 1024 * 1024 },
    USAGE,
  );
  const report = await validateIntegration(
    files.map((file) => relative(root, file)),
    {
      root,
      protectedPaths: listFlag(values, 'protected'),
      forbiddenModules: listFlag(values, 'forbidden'),
      allowNetwork: values['allow-network'] === true,
      ...(maxFileBytes === undefined ? {} : { maxFileBytes }),
      ...(tsconfig === undefined ? {} : { tsconfig }),
    },
  );
  const following = targets.map(
    (target) => `Checking the target ${target.specifier} named in ${relative(root, target.config)}.\n`,
  );
  io.stdout.write(
    values.json === true
      ? `${JSON.stringify(report, null, 2)}\n`
      : `${following.join('')}${formatFindingsTable(report)}`,
  );
  return report.verdict === 'clear' ? EXIT.ok : report.verdict === 'findings' ? EXIT.failed : EXIT.incomplete;
}
