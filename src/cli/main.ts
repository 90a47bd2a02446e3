#!/usr/bin/env node
import { processIo } from './cli-io.ts';
import { runCli } from './run-cli.ts';

// The only place that reads process.argv and exits: everything else takes its arguments and writers.
const code = await runCli(process.argv.slice(2), processIo());
process.exitCode = code;
// Exit once stdout has flushed, even if a user's target left timers or handles open.
process.stdout.write('', () => process.exit(code));
