import { join, resolve } from 'node:path';
import {
  describeViolation,
  ISOLATION_TEMP_DIRECTORY,
  type IsolationViolationRecord,
  installIsolationGuard,
} from '../isolation/index.ts';
import {
  formatQueueValidation,
  QUEUE_CHECK_DESCRIPTIONS,
  QUEUE_CHECK_NAMES,
  type QueueCheckName,
  type QueueSubject,
  type QueueValidationReport,
  queueSubjectFromModule,
  validateQueueBehavior,
} from '../validate/queue/index.ts';
import { EXIT, usageError } from './cli-error.ts';
import type { CliIo } from './cli-io.ts';
import { integerFlag } from './flag-values.ts';
import {
  enableTypeScriptModules,
  importUserModule,
  isTypeScriptModule,
  resolveModulePath,
} from './load-user-module.ts';
import { type FlagSpec, listFlag, parseFlags, stringFlag } from './parse-flags.ts';
import { atomicWriteJson } from './write-json.ts';

const USAGE =
  'vitest-stress validate queue [--queue-module FILE] [--check NAME]... [--json] (see `vitest-stress validate queue --help`)';

/** `vitest-stress validate queue --help`. */
export const VALIDATE_QUEUE_HELP = `Usage: vitest-stress validate queue [options]

Validates queue behaviour under load, each check on a fresh store (file stores in new temporary directories
that are deleted afterwards; never a shared or production queue):
${QUEUE_CHECK_NAMES.map((name) => `  ${name.padEnd(18)} ${QUEUE_CHECK_DESCRIPTIONS[name]}`).join('\n')}
Runs under the isolation guard (a queue module may write only its temporary stores and the output directory).
Prints a table and writes logs/queue_behavior_validation.json. Exit 0 when every check passed, 1 when one
failed or the guard saw an escape, 2 on bad input.

Options
  --queue-module FILE     a module exporting createQueueSubject(kit) (or a default export) that replaces
                          the queue and/or processor; .ts modules load through tsx  (default: the reference)
  --check NAME            repeatable: run only these checks                       (default: all six)
  --capacity N            queue capacity of the capacity check                     (default 100)
  --messages N            messages of the ordering, priority and concurrency checks (default 1000)
  --producers N           concurrent producers of the concurrency check            (default 5)
  --memory-messages N     messages the memory check processes                      (default 100000)
  --min-throughput N      lowest acceptable msg/s for enqueue and processing        (default 5000)
  --out DIR               where queue_behavior_validation.json goes                 (default logs)
  --json                  print the report as JSON instead of the table
  -h, --help              this help

Examples
  vitest-stress validate queue
  vitest-stress validate queue --check capacity --check ordering
  vitest-stress validate queue --queue-module src/my-queue.ts   # your queue: exports createQueueSubject (or a default)
`;

const FLAGS: FlagSpec = {
  'queue-module': { type: 'string' },
  check: { type: 'string', multiple: true },
  capacity: { type: 'string' },
  messages: { type: 'string' },
  producers: { type: 'string' },
  'memory-messages': { type: 'string' },
  'min-throughput': { type: 'string' },
  out: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
};

function checks(names: readonly string[]): QueueCheckName[] | undefined {
  if (names.length === 0) return undefined;
  for (const name of names) {
    if (!(QUEUE_CHECK_NAMES as readonly string[]).includes(name)) {
      throw usageError(
        `Expected \`--check\` to be one of ${QUEUE_CHECK_NAMES.join(', ')}, got "${name}".`,
        USAGE,
      );
    }
  }
  return names as QueueCheckName[];
}

/** `vitest-stress validate queue`: the queue-behaviour validator. */
export async function validateQueueCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const { values } = parseFlags(argv, FLAGS, USAGE);
  if (values.help === true) {
    io.stdout.write(VALIDATE_QUEUE_HELP);
    return EXIT.ok;
  }
  const flag = (name: string): string | undefined => stringFlag(values, name);
  const selected = checks(listFlag(values, 'check'));
  const options = {
    capacity: integerFlag(flag('capacity'), 'capacity', { min: 1, max: 1_000_000 }, USAGE),
    messages: integerFlag(flag('messages'), 'messages', { min: 10, max: 1_000_000 }, USAGE),
    producers: integerFlag(flag('producers'), 'producers', { min: 2, max: 64 }, USAGE),
    memoryMessages: integerFlag(
      flag('memory-messages'),
      'memory-messages',
      { min: 1000, max: 10_000_000 },
      USAGE,
    ),
    minThroughput: integerFlag(
      flag('min-throughput'),
      'min-throughput',
      { min: 0, max: 1_000_000_000 },
      USAGE,
    ),
  };
  const modulePath = flag('queue-module');
  const absolute =
    modulePath === undefined ? undefined : resolveModulePath(modulePath, io.cwd, 'the queue module');
  if (absolute !== undefined && isTypeScriptModule(absolute)) await enableTypeScriptModules();
  const out = resolve(io.cwd, flag('out') ?? 'logs');
  // A user's queue module runs under the same guard as a stress run: only its temporary stores are writable.
  const guard = await installIsolationGuard({ root: io.cwd, allowedPaths: [out, ISOLATION_TEMP_DIRECTORY] });
  let report: QueueValidationReport;
  let violations: readonly IsolationViolationRecord[];
  try {
    const subject: QueueSubject | undefined =
      absolute === undefined
        ? undefined
        : queueSubjectFromModule(await importUserModule(absolute, 'the queue module'), modulePath!);
    report = await validateQueueBehavior({
      ...(subject === undefined ? {} : { subject }),
      ...(selected === undefined ? {} : { checks: selected }),
      ...Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined)),
    });
  } finally {
    violations = guard.violations();
    guard.uninstall();
  }
  for (const violation of violations) io.stderr.write(`vitest-stress: ${describeViolation(violation)}\n`);
  const path = join(out, 'queue_behavior_validation.json');
  await atomicWriteJson(path, report);
  if (values.json === true) io.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  else io.stdout.write(`${formatQueueValidation(report)}Report: ${path}\n`);
  return report.ok && violations.length === 0 ? EXIT.ok : EXIT.failed;
}
