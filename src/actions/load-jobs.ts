import { readFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { UserError } from '../errors.js';
import { discoverJobFiles } from '../source/discover.js';
import { varFileNames } from '../source/jobspec/variables.js';
import { loadJob, type LoadedJob } from '../source/load-job.js';

export interface JobInputs {
  /** Files, directories or globs; default: the job files under cwd. */
  readonly paths: readonly string[];
  readonly cwd: string;
  /** --var name=value, in order. */
  readonly vars?: readonly string[];
  /** --var-file paths, in order. */
  readonly varFiles?: readonly string[];
  /** The environment (NOMAD_VAR_*). */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/** `name=value` as given to --var; the value may itself contain "=". */
export function parseVarFlag(text: string): { name: string; value: string } {
  const at = text.indexOf('=');
  if (at <= 0)
    throw new UserError(`--var ${text}: expected name=value`, {
      code: 'bad_var',
      hint: "For example --var image=nginx:1.27 or --var 'ports=[80,443]'.",
    });
  return { name: text.slice(0, at), value: text.slice(at + 1) };
}

function read(path: string, what: string, shown = path): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new UserError(
      `cannot read ${what} ${shown}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}`,
      {
        code: 'unreadable',
      },
    );
  }
}

/**
 * Reads and parses every job file; paths in results and diagnostics are relative to cwd. One file is held to
 * Nomad's rule (every --var and var-file name must be declared); several files share the values, each taking
 * the ones it declares, and a --var that no file declares is refused.
 */
export function loadJobFiles(inputs: JobInputs): LoadedJob[] {
  const vars = (inputs.vars ?? []).map(parseVarFlag);
  const varFiles = (inputs.varFiles ?? []).map((path) => ({
    path,
    content: read(resolve(inputs.cwd, path), 'var file', path),
  }));
  const files = discoverJobFiles(inputs.paths, inputs.cwd);
  const loaded = files.map((file) => {
    const shown = relative(inputs.cwd, file) || file;
    return loadJob(shown.startsWith('..') ? file : shown, read(file, 'job file'), {
      vars,
      varFiles,
      env: inputs.env,
      ignoreUndeclared: files.length > 1,
    });
  });
  if (files.length > 1 && loaded.every((job) => job.job)) {
    const declared = new Set(loaded.flatMap((job) => job.declaredVariables));
    const unused = vars.find(({ name }) => !declared.has(name));
    if (unused)
      throw new UserError(
        `--var ${unused.name}=… was given, but none of the ${files.length} job files declares it`,
        {
          code: 'undeclared_var',
          hint: `Declare it with variable "${unused.name}" {} in the job that uses it, or drop the flag.`,
        },
      );
    // A misspelt name in a shared var file would otherwise leave the default in place without a word.
    for (const file of varFiles) {
      const stray = varFileNames(file.path, file.content).find(({ name }) => !declared.has(name));
      if (stray)
        throw new UserError(
          `${file.path}:${stray.range.start.line}:${stray.range.start.column}: "${stray.name}" is set, but none of the ${files.length} job files declares it`,
          {
            code: 'undeclared_var',
            hint: `Fix the name, declare variable "${stray.name}" {} in the job that uses it, or remove the line.`,
          },
        );
    }
  }
  return loaded;
}
