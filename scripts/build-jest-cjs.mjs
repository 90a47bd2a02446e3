// CommonJS copies of the Jest entries (decision 0017): most Jest projects are CommonJS, and Jest's own module
// loader cannot `require` this ESM-only package. Each entry is one bundle of our sources; packages stay external.
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
