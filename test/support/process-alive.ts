import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Whether process `pid` still runs. A zombie counts as dead: it runs nothing and holds no port, and whether it
 * is reaped at once depends on the machine's init.
 */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return true;
  }
}

/** Waits up to `timeoutMs` for process `pid` to be gone; returns whether it is. */
export async function processGone(pid: number, timeoutMs = 5_000): Promise<boolean> {
  for (let waited = 0; processAlive(pid) && waited < timeoutMs; waited += 50) await sleep(50);
  return !processAlive(pid);
}
