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

/** The machine-readable result of `validateIntegration`; JSON-plain. The CLI exits 1 unless `ok`. */
export interface IntegrationReport {
  readonly schema_version: 1;
  /** Absolute directory the file paths are relative to. */
  readonly root: string;
  /** Every project file inspected: the given test files and what they import, transitively. */
  readonly files: readonly string[];
  readonly findings: readonly IntegrationFinding[];
  readonly ok: boolean;
}
