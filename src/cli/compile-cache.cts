/**
 * Loads the CLI bundle (dist/cli/drover.cjs) with V8's code cache, as Node 22's module.enableCompileCache() does
 * for every module; Node 20 has no such switch. Compiling the bundle's 1 MB, and then each function it runs,
 * was most of drover's start-up: from the cache, V8 takes the bytecode of every function the same command
 * compiled last time. One cache file per command (what `plan` compiles is not what `--help` compiles), in a
 * directory of the user's own (0700); V8 itself refuses a cache from another Node, other V8 flags or another
 * bundle, and then the file is written anew.
 */
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { Script } from 'node:vm';

/** Where the cache lives: DROVER_COMPILE_CACHE (a directory; "0" or empty turns it off), else the user's cache. */
export function compileCacheDir(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const chosen = env.DROVER_COMPILE_CACHE;
  if (chosen !== undefined) return chosen === '' || chosen === '0' ? undefined : chosen;
  const base = env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return join(base, 'drover', 'compile-cache');
}

interface CacheFile {
  readonly file: string;
  /** This installation's bundle: its caches from other builds are stale. */
  readonly install: string;
  /** This build of it. */
  readonly build: string;
}

/**
 * The cache file of one bundle build, one Node and one command. Keyed by the bundle's path too, so that two
 * installations of drover (two projects, two versions) keep their caches side by side.
 */
function cacheFile(dir: string, bundle: string, command: string): CacheFile {
  const { size, mtimeMs } = statSync(bundle);
  const install = `${basename(bundle)}-${fnv1a(bundle)}`;
  const build = `${install}-${size}-${Math.floor(mtimeMs)}`;
  const safe = /^[a-z][a-z-]{0,30}$/.test(command) ? command : 'other';
  return { file: join(dir, `${build}-${process.version}-${process.arch}-${safe}.v8`), install, build };
}

/** FNV-1a, 32 bits, in hex: enough to tell installations apart, and node:crypto would cost ~10 ms to load. */
function fnv1a(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return hash.toString(16).padStart(8, '0');
}

/**
 * Runs a CommonJS bundle as require() would (and registers it, so a later require() of it gets the same
 * exports), compiling it from the code cache when there is one; at exit, writes the cache when there was none.
 */
export function loadBundle<T>(bundle: string, command: string, dir = compileCacheDir()): T {
  const source = readFileSync(bundle, 'utf8');
  const cache = dir ? cacheFile(dir, bundle, command) : undefined;
  let cachedData: Buffer | undefined;
  try {
    if (cache) cachedData = readFileSync(cache.file);
  } catch {
    // none yet
  }
  // No importModuleDynamically: the bundle must not import() (a vm.Script cannot without an experimental flag).
  const script = new Script(Module.wrap(source), { filename: bundle, cachedData });
  const module = new Module(bundle);
  module.filename = bundle;
  module.paths = (Module as unknown as { _nodeModulePaths(dir: string): string[] })._nodeModulePaths(
    dirname(bundle),
  );
  (Module as unknown as { _cache: Record<string, Module> })._cache[bundle] = module;
  const wrapper = script.runInThisContext() as (...args: unknown[]) => void;
  wrapper.call(module.exports, module.exports, createRequire(bundle), module, bundle, dirname(bundle));
  module.loaded = true;
  if (cache && (!cachedData || script.cachedDataRejected))
    process.once('exit', () => writeCache(dir!, cache, script));
  return module.exports as T;
}

/** Written whole or not at all (rename), beside no cache of an older build of the bundle. */
function writeCache(dir: string, cache: CacheFile, script: Script): void {
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const partial = `${cache.file}.${process.pid}.tmp`;
    writeFileSync(partial, script.createCachedData(), { mode: 0o600 });
    renameSync(partial, cache.file);
    for (const name of readdirSync(dir))
      if (name.startsWith(`${cache.install}-`) && !name.startsWith(`${cache.build}-`) && name.endsWith('.v8'))
        rmSync(join(dir, name), { force: true });
  } catch {
    // A cache that cannot be written only costs the next run its speed.
  }
}
