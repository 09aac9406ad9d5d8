// npm run build, after tsc: bundles the CLI (src/commands/index.ts with @oclif/core and every other dependency) into
// one CommonJS file, dist/cli/drover.cjs, that bin/run.cjs loads through V8's code cache (src/cli/compile-cache.cts).
// One file compiled from cache instead of ~300 modules resolved, read and compiled is most of drover's start-up
// time (docs/performance.md, "Start-up").
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { build } from 'esbuild';

/** Dependencies as the bundle sees them, each lighter for a measured reason given in its shim. */
const SHIMS = [
  { module: /^debug$/, shim: 'debug.cjs' },
  { module: /^undici$/, shim: 'undici.cjs' },
  { module: /^node:http2$/, from: /undici/, shim: 'no-http2.cjs' },
  { module: /^wsl-utils$/, shim: 'wsl-utils.cjs' },
];

/**
 * Source edits to dependencies, each exact (the build fails when a dependency's source no longer has the text):
 * oclif sorts the command list with localeCompare at every start, and ICU's first collator costs ~9 ms. Command
 * IDs are lower-case ASCII, for which code point order is the same order.
 */
const EDITS = [
  {
    file: /@oclif[\\/]core[\\/]lib[\\/]config[\\/]plugin\.js$/,
    from: '.sort((a, b) => a.id.localeCompare(b.id))',
    to: '.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))',
  },
];

/**
 * Builtins oclif requires at load but uses only on paths drover never takes (a Windows shell lookup, flags read
 * from stdin, performance marks): loaded on first use instead, which saved ~6 ms of every start-up.
 */
const LAZY_BUILTINS = /^node:(child_process|readline|perf_hooks)$/;

await build({
  entryPoints: ['src/commands/index.ts'],
  outfile: 'dist/cli/drover.cjs',
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  minify: true,
  // oclif loads TypeScript only to run .ts sources in development; the bundle runs built code.
  external: ['typescript', 'ts-node', 'tsx'],
  // The sources are ES modules; the one import.meta they read is their own URL.
  define: { 'import.meta.url': '__droverBundleUrl' },
  banner: { js: "const __droverBundleUrl = require('node:url').pathToFileURL(__filename).href;" },
  plugins: [
    {
      name: 'shims',
      setup(build) {
        for (const { module, from, shim } of SHIMS)
          build.onResolve({ filter: module }, ({ importer }) =>
            !from || from.test(importer) ? { path: resolve('scripts/shims', shim) } : undefined,
          );
        for (const { file, from, to } of EDITS)
          build.onLoad({ filter: file }, async ({ path }) => {
            const source = await readFile(path, 'utf8');
            if (!source.includes(from))
              throw new Error(`${path} no longer contains ${from}: review scripts/bundle.js`);
            return { contents: source.replace(from, to), loader: 'js' };
          });
        build.onResolve({ filter: LAZY_BUILTINS }, ({ path, importer }) =>
          /@oclif[\\/]core/.test(importer) ? { path, namespace: 'lazy-builtin' } : undefined,
        );
        build.onLoad({ filter: /.*/, namespace: 'lazy-builtin' }, ({ path }) => ({
          contents: `let loaded; module.exports = new Proxy({}, { get: (_, key) => (loaded ??= require(${JSON.stringify(path)}))[key] });`,
          loader: 'js',
        }));
      },
    },
  ],
  logLevel: 'warning',
});
