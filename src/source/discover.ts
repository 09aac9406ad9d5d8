/**
 * Which job files a command works on: files as given, directories searched for *.nomad.hcl, *.nomad and
 * *.nomad.json (skipping dot-directories and node_modules), and glob patterns. Sorted, without duplicates.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { UserError } from '../errors.js';
import { globToRegExp, hasGlob } from '../util/glob.js';

export const JOB_FILE = /\.nomad(\.hcl|\.json)?$/;

function walk(dir: string, out: string[] = []): string[] {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
    const full = join(dir, entry.name);
    if (entry.isDirectory()) walk(full, out);
    else if (entry.isFile()) out.push(full);
  }
  return out;
}

/** Absolute paths of the job files named by `paths` (default: the job files under `cwd`). */
export function discoverJobFiles(
  paths: readonly string[],
  cwd: string,
  options: { readonly allowNone?: boolean } = {},
): string[] {
  const found = new Set<string>();
  for (const path of paths.length > 0 ? paths : ['.']) {
    if (hasGlob(path)) {
      const firstGlob = path.split('/').findIndex(hasGlob);
      const base = resolve(cwd, path.split('/').slice(0, firstGlob).join('/') || '.');
      const pattern = globToRegExp(path.split('/').slice(firstGlob).join('/'));
      const matches = existsSync(base)
        ? walk(base).filter((f) => pattern.test(relative(base, f).split('\\').join('/')))
        : [];
      if (matches.length === 0)
        throw new UserError(`no job files match ${path}`, {
          code: 'no_files',
          hint: 'Check the pattern; it is relative to the current directory.',
        });
      matches.forEach((m) => found.add(m));
      continue;
    }
    const full = resolve(cwd, path);
    if (!existsSync(full)) throw new UserError(`${path}: no such file or directory`, { code: 'no_files' });
    if (statSync(full).isDirectory()) {
      const jobs = walk(full).filter((f) => JOB_FILE.test(f));
      if (jobs.length === 0 && !options.allowNone)
        throw new UserError(
          `no job files in ${paths.length > 0 ? path : `${full} (the current directory)`}`,
          {
            code: 'no_files',
            hint: 'drover looks for *.nomad.hcl, *.nomad and *.nomad.json files under it (and for a drover.hcl there or in a parent, up to the repository root). Name the files or the directory that holds them.',
          },
        );
      jobs.forEach((j) => found.add(j));
    } else found.add(full);
  }
  return [...found].sort();
}
