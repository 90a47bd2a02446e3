import { existsSync, readdirSync, rmdirSync } from 'node:fs';
import { ISOLATION_TEMP_DIRECTORY } from '../../src/isolation/isolation-options.ts';

/**
 * Global setup of the repository's own test projects: `<tmpdir>/vitest-stress` is the tool's shared temporary
 * directory (file stores, comparison workspaces, embedded Redis), and every test removes what it made inside it;
 * the directory itself goes too when this run created it and left it empty.
 */
export default function setup(): () => void {
  const existed = existsSync(ISOLATION_TEMP_DIRECTORY);
  return () => {
    if (existed) return;
    try {
      if (readdirSync(ISOLATION_TEMP_DIRECTORY).length === 0) rmdirSync(ISOLATION_TEMP_DIRECTORY);
    } catch {
      // Not there, or not empty: nothing of ours to remove.
    }
  };
}
