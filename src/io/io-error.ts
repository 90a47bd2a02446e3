import { StressError } from '../protocol/index.ts';

const errnoOf = (cause: unknown): string | undefined =>
  typeof cause === 'object' && cause !== null && typeof (cause as { code?: unknown }).code === 'string'
    ? (cause as { code: string }).code
    : undefined;

// What each errno means for the path it names, and what the user can do about it.
const REASONS: Record<string, (path: string) => string> = {
  EROFS: (path) => `the file system holding \`${path}\` is read-only; use a writable directory`,
  EACCES: (path) => `permission denied on \`${path}\`; give this user write access or use another directory`,
  EPERM: (path) => `the operation is not permitted on \`${path}\`; check its permissions and attributes`,
  EISDIR: (path) => `\`${path}\` is a directory where a file belongs; move it aside`,
  ENOTDIR: (path) => `a part of \`${path}\` is a file where a directory belongs; move it aside`,
  EEXIST: (path) => `\`${path}\` exists and is not a directory; move it aside`,
  ENOSPC: (path) => `the disk holding \`${path}\` is full; free some space`,
  EDQUOT: (path) => `the disk quota for \`${path}\` is used up; free some space`,
  ENOENT: (path) => `\`${path}\` or a directory above it does not exist and could not be created`,
  ENAMETOOLONG: (path) => `the path \`${path}\` is too long for the file system`,
};

/** Why an I/O call on `path` failed, in words a user can act on, with the errno in parentheses. */
export function ioFailureReason(path: string, cause: unknown): string {
  const errno = errnoOf(cause);
  const explain = errno === undefined ? undefined : REASONS[errno];
  if (explain !== undefined) return `${explain(path)} (${errno})`;
  return cause instanceof Error ? cause.message : String(cause);
}

/**
 * The `ERR_IO` error for a failed file-system step: the message says what was expected and why it failed;
 * `details` carry the path and the errno (`EROFS`, `EACCES`, `EISDIR`...).
 */
export function ioError(expected: string, path: string, cause: unknown): StressError {
  return new StressError('ERR_IO', `Expected ${expected}, but ${ioFailureReason(path, cause)}.`, {
    cause,
    details: { path, errno: errnoOf(cause) },
  });
}
