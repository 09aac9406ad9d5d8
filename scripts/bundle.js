// npm run build, after tsc (which writes only the declarations): bundles drover's code with every dependency, so
// that the package installs nothing beside itself.
// - dist/cli/drover.cjs, the CLI (src/commands/index.ts with @oclif/core), one CommonJS file that bin/run.cjs
//   loads through V8's code cache (src/cli/compile-cache.cts): one file compiled from cache instead of ~300
//   modules resolved, read and compiled is most of drover's start-up time (docs/performance.md, "Start-up").
// - dist/index.js, the library (`import … from 'drover'`), one ES module.
// - dist/cli/compile-cache.cjs, the loader bin/run.cjs requires.
// - dist/cli/github-action.js, the step of the GitHub Action (action.yml), which runs the CLI beside it. It is not
//   in the npm package (package.json "files").
import { readFile } from 'node:fs/promises';
import { resolve, sep } from 'node:path';
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

/**
 * drover's sources load some dependencies on first use (yaml, re2js) through `createRequire(import.meta.url)`,
 * which esbuild cannot follow. Without that line their require() calls are the bundle's own, which esbuild
 * bundles, still running each module's code at its first call.
 */
const OWN_REQUIRE = 'const require = createRequire(import.meta.url);';
const SOURCES = resolve('src') + sep;

/** Dependencies as the bundle sees them: shims, edits and lazily loaded builtins. */
const dependencies = {
  name: 'dependencies',
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
    build.onLoad({ filter: /\.c?ts$/ }, async ({ path }) => {
      if (!path.startsWith(SOURCES)) return undefined;
      const source = await readFile(path, 'utf8');
      if (!source.includes('createRequire(import.meta.url)')) return undefined;
      const contents = source.replace(OWN_REQUIRE, '');
      if (contents.includes('createRequire(import.meta.url)'))
        throw new Error(
          `${path}: createRequire(import.meta.url) other than as "${OWN_REQUIRE}": review scripts/bundle.js`,
        );
      return { contents, loader: 'ts' };
    });
  },
};

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  plugins: [dependencies],
  logLevel: 'warning',
};

await Promise.all([
  build({
    ...common,
    entryPoints: ['src/commands/index.ts'],
    outfile: 'dist/cli/drover.cjs',
    format: 'cjs',
    minify: true,
    // oclif loads TypeScript only to run .ts sources in development; the bundle runs built code.
    external: ['typescript', 'ts-node', 'tsx'],
  }),
  build({
    ...common,
    entryPoints: ['src/index.ts'],
    outfile: 'dist/index.js',
    format: 'esm',
    // The bundled CommonJS modules require() Node's builtins, for which an ES module has no require() of its own.
    banner: {
      js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
    },
  }),
  build({
    ...common,
    entryPoints: ['src/cli/compile-cache.cts'],
    outfile: 'dist/cli/compile-cache.cjs',
    format: 'cjs',
  }),
  build({
    ...common,
    entryPoints: ['src/cli/github-action.ts'],
    outfile: 'dist/cli/github-action.js',
    format: 'esm',
  }),
]);
