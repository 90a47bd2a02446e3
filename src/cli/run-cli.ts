import { toolVersion } from '../io/tool-version.ts';
import { EXIT, exitCodeOf, formatCliError, usageError } from './cli-error.ts';
import type { CliIo } from './cli-io.ts';
import { compareCommand } from './compare-command.ts';
import { mergeCommand } from './merge-command.ts';
import { reportCommand } from './report-command.ts';
import { runCommand } from './run-command.ts';
import { validateIntegrationCommand } from './validate-integration-command.ts';
import { validateQueueCommand } from './validate-queue-command.ts';

/** `vitest-stress --help`. */
export const MAIN_HELP = `Usage: vitest-stress <command> [options]

Stress-test message-queue processors against a mock messaging core, without ever touching real delivery.
The seed pipeline, one command per step:

  validate integration [paths]   1. static check: stress tests cannot reach real delivery
  validate queue                 2. queue behaviour under load: capacity, FIFO, priority, concurrency, memory, throughput
  run                            3. the stress test itself (9 agents x 100 messages by default); --compare for comparison mode
  report <metrics.json>          4. read the metrics
  compare <baseline> <current>   regression check between metrics files (Markdown for pull requests)
  merge <files…> --shards N      one metrics file from the shards of a run (jest --shard, CI matrix)

Run \`vitest-stress <command> --help\` for its options and examples.
Exit codes: 0 ok, 1 a check failed, 2 bad input, 3 (validate integration) not everything could be checked.

Options
  -h, --help       this help
  -v, --version    the version
`;

const USAGE = 'vitest-stress <run|compare|validate|report> [options] (see `vitest-stress --help`)';

type Command = (argv: readonly string[], io: CliIo) => Promise<number>;

const COMMANDS: Readonly<Record<string, Command>> = {
  run: runCommand,
  compare: compareCommand,
  report: reportCommand,
  merge: mergeCommand,
};

const VALIDATORS: Readonly<Record<string, Command>> = {
  integration: validateIntegrationCommand,
  queue: validateQueueCommand,
};

const VALIDATE_USAGE = 'vitest-stress validate <integration|queue> [options]';

async function dispatch(argv: readonly string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined) throw usageError('Expected a command.', USAGE);
  if (name === '--help' || name === '-h' || name === 'help') {
    io.stdout.write(MAIN_HELP);
    return EXIT.ok;
  }
  if (name === '--version' || name === '-v') {
    io.stdout.write(`${toolVersion()}\n`);
    return EXIT.ok;
  }
  if (name === 'validate') {
    const [kind, ...args] = rest;
    if (kind === undefined) throw usageError('Expected a validator: integration or queue.', VALIDATE_USAGE);
    if (kind === '--help' || kind === '-h') {
      io.stdout.write(
        `Usage: ${VALIDATE_USAGE}\n\n  integration   static check of stress test files\n  queue         queue behaviour under load\n`,
      );
      return EXIT.ok;
    }
    const validator = VALIDATORS[kind];
    if (validator === undefined) throw usageError(`Unknown validator \`${kind}\`.`, VALIDATE_USAGE);
    return validator(args, io);
  }
  const command = COMMANDS[name];
  if (command === undefined) {
    throw usageError(`Unknown ${name.startsWith('-') ? 'flag' : 'command'} \`${name}\`.`, USAGE);
  }
  return command(rest, io);
}

/**
 * Runs the `vitest-stress` CLI with `argv` (without the node and script paths) and resolves to the exit code;
 * every error becomes one line on `io.stderr` (`vitest-stress: <message>`), never a stack trace.
 * @example const code = await runCli(['run', '--agents', '3'], processIo());
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  try {
    return await dispatch(argv, io);
  } catch (error) {
    io.stderr.write(formatCliError(error, io.env.VITEST_STRESS_DEBUG === '1'));
    return exitCodeOf(error);
  }
}
