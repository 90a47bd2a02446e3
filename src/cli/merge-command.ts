import { resolve } from 'node:path';
import { StressError } from '../protocol/index.ts';
import {
  buildRunMetricsFile,
  renderTerminalSummary,
  type StressTestRecord,
  writeRunFiles,
} from '../report/index.ts';
import { EXIT, usageError } from './cli-error.ts';
import { type CliIo, colorFor } from './cli-io.ts';
import { type FlagSpec, parseFlags, stringFlag } from './parse-flags.ts';
import { readResultFile } from './read-result-file.ts';

const USAGE = 'vitest-stress merge <metrics.json…> --shards N [--out DIR] (see `vitest-stress merge --help`)';

/** `vitest-stress merge --help`. */
export const MERGE_HELP = `Usage: vitest-stress merge <metrics.json…> --shards N [--out DIR]

Merges the run metrics files of the shards of one run (jest --shard, a CI matrix) into one file and summary:
the tests of every shard, totals recomputed from their merged HDR histograms (exact, never averaged), the
verdict judged again. Fails (exit 2) when a shard is missing or given twice: fewer or more files than
--shards, the same file twice, or a test present in two files.

Options
  --shards N     how many shards the run had (required)
  --out DIR      where the merged files go                          (default logs)
  -h, --help     this help

Example
  vitest-stress merge shard-1/stress_test_metrics_*.json shard-2/stress_test_metrics_*.json --shards 2
`;

const FLAGS: FlagSpec = {
  shards: { type: 'string' },
  out: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
};

function shardError(message: string, details: Record<string, unknown>): StressError {
  return new StressError('ERR_INVALID_METRICS_FILE', message, { details });
}

/** `vitest-stress merge`: one metrics file from the shards' files; exit 1 when the merged run failed. */
export async function mergeCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseFlags(argv, FLAGS, USAGE, Number.MAX_SAFE_INTEGER);
  if (values.help === true) {
    io.stdout.write(MERGE_HELP);
    return EXIT.ok;
  }
  const shardsText = stringFlag(values, 'shards');
  const shards = Number(shardsText);
  if (shardsText === undefined || !Number.isSafeInteger(shards) || shards < 1) {
    throw usageError(
      `Expected \`--shards\` to be a positive integer, got ${shardsText ?? 'nothing'}.`,
      USAGE,
    );
  }
  const paths = positionals.map((path) => resolve(io.cwd, path));
  const twice = paths.find((path, i) => paths.indexOf(path) !== i);
  if (twice !== undefined) throw shardError(`Expected each shard once, got ${twice} twice.`, { path: twice });
  if (paths.length !== shards) {
    throw shardError(
      `Expected ${shards} shard file(s), got ${paths.length}: ${paths.length < shards ? 'a shard is missing' : 'more files than shards'}.`,
      { expected: shards, received: paths.length },
    );
  }
  const owner = new Map<string, string>();
  const tests: StressTestRecord[] = [];
  for (const path of paths) {
    const result = await readResultFile(path);
    if (result.kind !== 'run') {
      throw shardError(`Expected ${path} to be a run metrics file, got a ${result.kind} file.`, { path });
    }
    for (const test of result.file.tests) {
      const key = `${test.project}\u0000${test.file}\u0000${test.name}`;
      const first = owner.get(key);
      if (first !== undefined) {
        throw shardError(
          `Expected each test in one shard, got "${test.name}" (${test.file}) in ${first} and ${path}: a shard was given twice or the shards overlap.`,
          { test: test.name, files: [first, path] },
        );
      }
      owner.set(key, path);
      tests.push(test);
    }
  }
  const file = buildRunMetricsFile({
    tests: tests.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0)),
  });
  const written = await writeRunFiles({
    file,
    root: io.cwd,
    directory: resolve(io.cwd, stringFlag(values, 'out') ?? 'logs'),
    stepSummary: io.env.GITHUB_STEP_SUMMARY,
  });
  io.stdout.write(
    `${renderTerminalSummary(file, { color: colorFor(io.stdout, io.env), files: { metrics: written.metrics, summary: written.summary } })}\n`,
  );
  return file.verdict.ok ? EXIT.ok : EXIT.failed;
}
