import type { UncheckedReason } from './read-source-file.ts';

/** The checks of `validateIntegration`; each one has a fixture that trips it and one that passes it. */
export type IntegrationCheck =
  | 'forbidden-import'
  | 'protected-write'
  | 'injection-point'
  | 'messaging-core-port'
  | 'native-access';

/** What each check proves, for help texts and the table legend. */
export const INTEGRATION_CHECKS: Readonly<Record<IntegrationCheck, string>> = {
  'forbidden-import': 'no import of the real core, GUI automation, or process and network modules',
  'protected-write': 'no file-system write to a literal path under a protected root',
  'injection-point': 'every target factory accepts the injected `messagingCore`',
  'messaging-core-port':
    'every mock core, and every value passed as `messagingCore`, satisfies MessagingCore',
  'native-access': 'no `process.binding`, `process._linkedBinding`, `process.dlopen` or `node:inspector`',
};

/** One problem in one stress test file (or a module it imports); line and column are 1-based. */
export interface IntegrationFinding {
  readonly check: IntegrationCheck;
  /** Relative to the report's root, with `/` separators. */
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly message: string;
}

/** A project file the checks could not inspect (or could not fully parse), and why. */
export interface UncheckedFile {
  /** Relative to the report's root, with `/` separators. */
  readonly file: string;
  readonly reason: UncheckedReason;
  readonly message: string;
}

/** A check that could not run at all, and why: its silence proves nothing. */
export interface SkippedCheck {
  readonly check: IntegrationCheck;
  readonly message: string;
}

/**
 * `clear`: every file was read and every check ran, with no finding. `findings`: at least one finding.
 * `incomplete`: no finding, but a file could not be checked or a check could not run, so nothing is claimed.
 */
export type IntegrationVerdict = 'clear' | 'findings' | 'incomplete';

/**
 * The machine-readable result of `validateIntegration`; JSON-plain. The CLI exits 0 for `clear`, 1 for
 * `findings` and 3 for `incomplete`.
 */
export interface IntegrationReport {
  readonly schema_version: 2;
  /** Absolute directory the file paths are relative to. */
  readonly root: string;
  /** Every project file inspected: the given test files and what they import, transitively (unreadable ones excluded). */
  readonly files: readonly string[];
  readonly findings: readonly IntegrationFinding[];
  /** Files that could not be read or parsed: special files, symlink loops, too large, binary, empty, syntax errors. */
  readonly unchecked: readonly UncheckedFile[];
  /** Checks that could not run (such as `protected-write` without Node's typings). */
  readonly skipped_checks: readonly SkippedCheck[];
  readonly verdict: IntegrationVerdict;
  /** True only for the `clear` verdict. */
  readonly ok: boolean;
}
