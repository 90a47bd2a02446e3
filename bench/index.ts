import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { BenchResult } from './bench-result.ts';

// Runs every bench/*.bench.ts (or those named on the command line) and prints figures with ratios against
// the baseline each bench measured in the same process. Figures are printed, never asserted. Each file runs
// in a fresh process (same Node flags), so one bench's heap and JIT state cannot slow the next one down.
const dir = fileURLToPath(new URL('.', import.meta.url));
const only = process.argv.slice(2);
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => only.length === 0 || only.some((name) => f.includes(name)))
  .sort();

if (process.env.VITEST_STRESS_BENCH_CHILD === undefined) {
  console.log(`vitest-stress benchmarks — Node ${process.version}, ${process.platform}/${process.arch}`);
  for (const file of files) {
    const child = spawnSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), file], {
      stdio: 'inherit',
      env: { ...process.env, VITEST_STRESS_BENCH_CHILD: '1' },
    });
    if (child.status !== 0) process.exit(child.status ?? 1);
  }
  process.exit(0);
}

const fmt = (n: number): string =>
  Math.abs(n) >= 100
    ? Math.round(n).toLocaleString('en-US')
    : n.toLocaleString('en-US', { maximumFractionDigits: 3 });

for (const file of files) {
  const mod = (await import(pathToFileURL(`${dir}${file}`).href)) as { run?: () => Promise<BenchResult[]> };
  if (typeof mod.run !== 'function') continue;
  console.log(`\n## ${file}`);
  const started = performance.now();
  const results = await mod.run();
  for (const r of results) {
    const ratio = [...(r.baseline ? [r.baseline] : []), ...(r.moreBaselines ?? [])]
      .map((b) => `  ratio ${(r.value / b.value).toFixed(2)} vs ${b.name} (${fmt(b.value)} ${r.unit})`)
      .join(';');
    const target = r.target ? `  target ${r.target}` : '';
    console.log(`  ${r.name}: ${fmt(r.value)} ${r.unit}${ratio}${target}${r.note ? `  — ${r.note}` : ''}`);
  }
  console.log(`  (${((performance.now() - started) / 1000).toFixed(1)} s)`);
}
