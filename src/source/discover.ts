/**
 * Which files a command works on: files as given, directories searched (skipping dot-directories and
 * node_modules) for job files (*.nomad.hcl, *.nomad, *.nomad.json) or, for drover fmt, HCL files (*.nomad, *.hcl),
 * and glob patterns. Sorted, without duplicates.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { UserError } from '../errors.js';
import { globToRegExp, hasGlob } from '../util/glob.js';

export const JOB_FILE = /\.nomad(\.hcl|\.json)?$/;

interface FileKind {
  readonly pattern: RegExp;
  /** "job files", "HCL files" */
  readonly name: string;
  readonly hint: string;
}

const JOB_FILES: FileKind = {
  pattern: JOB_FILE,
  name: 'job files',
  hint: 'drover looks for *.nomad.hcl, *.nomad and *.nomad.json files under it (and for a drover.hcl there or in a parent, up to the repository root). Name the files or the directory that holds them.',
};

const HCL_FILES: FileKind = {
  pattern: /\.(nomad|hcl)$/,
  name: 'HCL files',
  hint: 'drover fmt looks for *.nomad and *.hcl files (job files, drover.hcl, variable files) under it.',
};

/** The files `drover test-checks` runs: saved plans with the checks they must fail (docs/checks.md). */
const CHECK_TESTS: FileKind = {
  pattern: /\.checktest\.hcl$/,
  name: 'check test files',
  hint: 'drover test-checks looks for *.checktest.hcl files under it (run blocks naming saved plans and the checks they must fail).',
};

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
  return discover(paths, cwd, JOB_FILES, options);
}

/** Absolute paths of the check test files named by `paths` (default: those under `cwd`). */
export function discoverCheckTests(paths: readonly string[], cwd: string): string[] {
  return discover(paths, cwd, CHECK_TESTS);
}

/** Absolute paths of the HCL files named by `paths` (default: those under `cwd`); a named file must be one. */
export function discoverHclFiles(paths: readonly string[], cwd: string): string[] {
  const files = discover(paths, cwd, HCL_FILES);
  const other = files.find((f) => !HCL_FILES.pattern.test(f));
  if (other)
    throw new UserError(`${relative(cwd, other) || other}: not an HCL file (.nomad or .hcl)`, {
      code: 'not_hcl',
      hint: 'drover fmt formats HCL job files, drover.hcl and variable files; JSON jobs are not HCL.',
    });
  return files;
}

function discover(
  paths: readonly string[],
  cwd: string,
  kind: FileKind,
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
        throw new UserError(`no ${kind.name} match ${path}`, {
          code: 'no_files',
          hint: 'Check the pattern; it is relative to the current directory.',
        });
      matches.forEach((m) => found.add(m));
      continue;
    }
    const full = resolve(cwd, path);
    if (!existsSync(full)) throw new UserError(`${path}: no such file or directory`, { code: 'no_files' });
    if (statSync(full).isDirectory()) {
      const jobs = walk(full).filter((f) => kind.pattern.test(f));
      if (jobs.length === 0 && !options.allowNone)
        throw new UserError(
          `no ${kind.name} in ${paths.length > 0 ? path : `${full} (the current directory)`}`,
          { code: 'no_files', hint: kind.hint },
        );
      jobs.forEach((j) => found.add(j));
    } else found.add(full);
  }
  return [...found].sort();
}
