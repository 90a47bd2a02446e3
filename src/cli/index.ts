export { EXIT, exitCodeOf, formatCliError } from './cli-error.ts';
export { type CliIo, processIo, type TextSink } from './cli-io.ts';
export { MAIN_HELP, runCli } from './run-cli.ts';
