// CommonJS copies of the Jest entries (decision 0017): most Jest projects are CommonJS, and Jest's own module
// loader cannot `require` this ESM-only package. Each entry is one bundle of our sources; packages stay external.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { build } from 'esbuild';

const entries = ['index', 'environment', 'reporter', 'config', 'resolver'];
await build({
  entryPoints: Object.fromEntries(entries.map((name) => [name, `src/jest/${name}.ts`])),
  outdir: 'dist/cjs/jest',
  outExtension: { '.js': '.cjs' },
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  packages: 'external',
  // No source maps: the isolation guard finds the user's frame by file, and a map would point into src/.
  sourcemap: false,
  // The bundles sit at dist/cjs/jest/*.cjs, one level deeper than the ESM files at dist/<folder>/*.js; the
  // sources' package-relative URLs (../../package.json, ../inbox/...) are written for the latter, so each bundle's
  // import.meta.url is the URL its ESM twin would have, dist/jest/<name>.cjs.
  define: { 'import.meta.url': '__vitestStressModuleUrl' },
  banner: {
    js:
      "const __vitestStressModuleUrl = require('node:url').pathToFileURL(require('node:path').join(__dirname, '..', " +
      "'..', 'jest', require('node:path').basename(__filename))).href;",
  },
  // package.json says `sideEffects: false` for consumers' tree-shaking; the matchers' expect.extend must stay.
  ignoreAnnotations: true,
  logLevel: 'warning',
});

// Declarations of the bundles: `.d.cts` twins of every ESM declaration the Jest entries reach, with relative
// specifiers pointing at twins. Without them a CommonJS TypeScript project (node16 resolution) is handed ESM
// declarations for a `require` and refuses the import (TS1479, arethetypeswrong's `false-esm`).
const TYPES = 'dist/cjs/types';
rmSync(TYPES, { recursive: true, force: true });
const RELATIVE = /(\bfrom\s+|\bimport\s*\(\s*|\bimport\s+)(['"])(\.{1,2}\/[^'"]+)\.(?:ts|js)\2/g;
const seen = new Set();
const queue = entries.map((name) => `dist/jest/${name}.d.ts`);
while (queue.length > 0) {
  const file = queue.pop();
  if (seen.has(file)) continue;
  seen.add(file);
  const text = readFileSync(file, 'utf8');
  for (const match of text.matchAll(RELATIVE)) {
    queue.push(join(dirname(file), `${match[3]}.d.ts`));
  }
  const twin = join(TYPES, relative('dist', file).replace(/\.d\.ts$/, '.d.cts'));
  const rewritten = text.replace(RELATIVE, (_all, lead, quote, path) => `${lead}${quote}${path}.cjs${quote}`);
  // A relative specifier left as it was would hand a CommonJS project an ESM declaration again.
  const missed = /(['"])\.{1,2}\/[^'"]*(?<!\.cjs)\1/.exec(rewritten);
  if (missed) throw new Error(`${file}: relative specifier ${missed[0]} not rewritten for its .d.cts twin`);
  mkdirSync(dirname(twin), { recursive: true });
  writeFileSync(twin, rewritten);
}
