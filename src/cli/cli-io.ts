/** Somewhere the CLI writes text. */
export interface TextSink {
  write(text: string): unknown;
  /** True for a terminal: colours and the progress bar are used only there. */
  readonly isTTY?: boolean;
}

/** Everything `runCli` touches outside itself, passed in so tests never use `process` globals. */
export interface CliIo {
  readonly stdout: TextSink;
  readonly stderr: TextSink;
  /** Directory relative paths resolve against and `logs/` is written under. */
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** The stream the progress bar draws on (a TTY `process.stderr`); no bar without it. */
  readonly progressStream?: NodeJS.WritableStream & { readonly isTTY?: boolean };
}

/** The real process's streams, directory and environment. */
export function processIo(): CliIo {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    cwd: process.cwd(),
    env: process.env,
    progressStream: process.stderr.isTTY ? process.stderr : undefined,
  };
}

/** True when `sink` should get ANSI colours: a TTY and `NO_COLOR` unset or empty (https://no-color.org). */
export function colorFor(sink: TextSink, env: CliIo['env']): boolean {
  return (
    sink.isTTY === true && (env.NO_COLOR === undefined || env.NO_COLOR === '') && env.FORCE_COLOR !== '0'
  );
}
