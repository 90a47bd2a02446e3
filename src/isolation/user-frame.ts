import { fileURLToPath } from 'node:url';

/** This directory: frames inside the guard itself are never the culprit. */
const GUARD_DIRECTORY = fileURLToPath(new URL('.', import.meta.url));

/** `file:line:column` of one V8 stack line, or undefined for native and anonymous frames. */
function frameLocation(line: string): string | undefined {
  const text = line.trim();
  if (!text.startsWith('at ')) return undefined;
  const location = text.endsWith(')') ? text.slice(text.lastIndexOf('(') + 1, -1) : text.slice(3);
  const match = /^(?:async )?(.+):(\d+):(\d+)$/.exec(location);
  if (match === null) return undefined;
  const [, file = '', line_ = '', column = ''] = match;
  if (file.startsWith('node:') || file.startsWith('data:')) return undefined;
  return `${file.startsWith('file://') ? fileURLToPath(file) : file}:${line_}:${column}`;
}

/** The first frame of `stack` outside the guard, `node_modules` and Node's internals: the user code to blame. */
export function findUserFrame(
  stack: string | undefined,
  guardDirectory: string = GUARD_DIRECTORY,
): string | undefined {
  if (stack === undefined) return undefined;
  for (const line of stack.split('\n').slice(1)) {
    const location = frameLocation(line);
    if (location === undefined || location.startsWith(guardDirectory)) continue;
    if (location.includes('/node_modules/') || location.includes('\\node_modules\\')) continue;
    return location;
  }
  return undefined;
}

/**
 * Captures the current stack deep enough to get past Node's and the guard's frames, and finds the user frame;
 * frames in `alsoSkip` (a file or directory of the package that reports on the user's behalf) are passed over too.
 */
export function captureUserFrame(alsoSkip?: string): string | undefined {
  const holder: { stack?: string } = {};
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 60;
  Error.captureStackTrace(holder);
  Error.stackTraceLimit = limit;
  if (alsoSkip === undefined) return findUserFrame(holder.stack);
  const lines = (holder.stack ?? '').split('\n').filter((line) => !line.includes(alsoSkip));
  return findUserFrame(lines.join('\n'));
}
