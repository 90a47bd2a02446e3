import { fileURLToPath } from 'node:url';

// This file sits next to the entries both in src/ (.ts, this repository's own tests) and in dist/ (.js).
const extension = import.meta.url.endsWith('.ts') ? '.ts' : '.js';
const sibling = (name: string): string => fileURLToPath(new URL(`./${name}${extension}`, import.meta.url));

/**
 * Absolute paths of the modules Vitest loads itself: the environment, the reporter, the setup file and the
 * snapshot environment.
 */
export const ENTRY_PATHS = {
  environment: sibling('environment'),
  reporter: sibling('reporter'),
  setup: sibling('setup'),
  snapshotEnvironment: sibling('snapshot-environment'),
} as const;
