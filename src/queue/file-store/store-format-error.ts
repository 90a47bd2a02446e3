import { StressError } from '../../protocol/index.ts';
import { STORE_FORMAT } from './journal-header.ts';

/**
 * The error for a store directory written in an older format: this version reads format 2 only (decision
 * 0006), so it refuses rather than guess; nothing in the directory is changed.
 */
export function storeFormatError(path: string, format: number): StressError {
  return new StressError(
    'ERR_STORE_FORMAT',
    `Expected the queue store file \`${path}\` to be in store format ${STORE_FORMAT}, got format ${format} ` +
      '(written by vitest-stress 0.1.0, whose journal lines have no lsn and whose files have no salt). ' +
      'Open the store with the version that wrote it and drain it, or move the directory aside to start an ' +
      'empty store; nothing in it was changed.',
    { details: { path, format } },
  );
}
