import { readFileSync } from 'node:fs';

let cached: string | undefined;

/** The version of vitest-stress from its package.json (the same relative path from `src/` and `dist/`). */
export function toolVersion(): string {
  if (cached === undefined) {
    try {
      const raw = readFileSync(new URL('../../package.json', import.meta.url), 'utf8');
      cached = String((JSON.parse(raw) as { version?: unknown }).version ?? 'unknown');
    } catch {
      cached = 'unknown';
    }
  }
  return cached;
}
