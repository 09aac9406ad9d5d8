import { readFileSync } from 'node:fs';
import { decodeSourceText } from '../source/source-text.js';
import { dirname, resolve } from 'node:path';
import { UserError } from '../errors.js';
import { discoverJobFiles } from '../source/discover.js';
import { formatDiagnostic, hasErrors } from '../source/hcl/diagnostics.js';
import { varFileNames, type VariableInputs } from '../source/jobspec/variables.js';
import { loadJob, type LoadedJob } from '../source/load-job.js';
import type { Verdict } from '../source/jobspec/verdict.js';
import { shownPath } from '../util/shown-path.js';

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
  /** A directory without job files is no error (prune of everything, asked for explicitly). */
  readonly allowNoFiles?: boolean;
  /** Whose verdict the jobs get where Nomad's differ: `nomad job validate`'s for drover validate. */
  readonly verdict?: Verdict;
  /** The project's values (drover.hcl `vars`, `var_files`), before the flags' and shared by its job files. */
  readonly project?: {
    readonly vars: readonly string[];
    readonly varFiles: readonly string[];
    /** Every job file of the project is loaded, so a name none of them declares is a mistake. */
    readonly complete: boolean;
    /** The variables drover.hcl declares for the estate: a value for one of them is no stray. */
    readonly declared?: readonly string[];
  };
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
    return decodeSourceText(readFileSync(path));
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
 * Reads and parses every job file; paths in results and diagnostics are relative to cwd. One file on its own is
 * held to Nomad's rule (every --var and var-file name must be declared); several files, or the files of a
 * project, share the values, each taking the ones it declares, and a value that none of them declares is refused.
 */
/**
 * loadJobFiles that reads the same files with the same values once: the clusters of a project read the project's
 * job files, most of them with the same var files. A job is never changed once read (plans copy what they add).
 */
export function sharedJobLoader(): (inputs: JobInputs) => LoadedJob[] {
  const read = new Map<string, LoadedJob[]>();
  return (inputs) => {
    const key = JSON.stringify(inputs);
    let jobs = read.get(key);
    if (!jobs) read.set(key, (jobs = loadJobFiles(inputs)));
    return jobs;
  };
}

export function loadJobFiles(inputs: JobInputs): LoadedJob[] {
  const { own, project, vars, varFiles, env } = readValues(inputs);
  const files = discoverJobFiles(inputs.paths, inputs.cwd, { allowNone: inputs.allowNoFiles });
  const shared = files.length > 1 || project !== undefined;
  const loaded = files.map((file) => {
    return loadJob(shownPath(file, inputs.cwd), read(file, 'job file'), {
      baseDir: dirname(file),
      vars,
      varFiles,
      env,
      ignoreUndeclared: shared,
      projectVariables: inputs.project?.declared ?? [],
      verdict: inputs.verdict,
    });
  });
  if (shared && loaded.every((job) => job.job)) {
    const checked =
      project && inputs.project!.complete ? { vars, varFiles } : { vars: own.vars, varFiles: own.varFiles };
    refuseUndeclared(loaded, checked.vars, checked.varFiles, inputs.project?.declared ?? []);
  }
  return loaded;
}

/** The values every file of a project shares (drover.hcl's vars and var files, then the flags'), and NOMAD_VAR_*. */
export function sharedVariableValues(inputs: JobInputs): VariableInputs {
  const { vars, varFiles, env } = readValues(inputs);
  return { vars, varFiles, env };
}

function readValues(inputs: JobInputs) {
  const readVarFiles = (paths: readonly string[]) =>
    paths.map((path) => ({ path, content: read(resolve(inputs.cwd, path), 'var file', path) }));
  const own = { vars: (inputs.vars ?? []).map(parseVarFlag), varFiles: readVarFiles(inputs.varFiles ?? []) };
  const project = inputs.project && {
    vars: inputs.project.vars.map(parseVarFlag),
    varFiles: readVarFiles(inputs.project.varFiles),
  };
  return {
    own,
    project,
    vars: [...(project?.vars ?? []), ...own.vars],
    varFiles: [...(project?.varFiles ?? []), ...own.varFiles],
    // Only NOMAD_VAR_* count, and reading process.env entry by entry is slow: taken once, not once per file.
    env: Object.fromEntries(Object.entries(inputs.env ?? {}).filter(([key]) => key.startsWith('NOMAD_VAR_'))),
  };
}

function refuseUndeclared(
  loaded: readonly LoadedJob[],
  vars: ReadonlyArray<{ name: string }>,
  varFiles: ReadonlyArray<{ path: string; content: string }>,
  declaredByProject: readonly string[],
): void {
  const declared = new Set([...loaded.flatMap((job) => job.declaredVariables), ...declaredByProject]);
  const nobody =
    loaded.length === 1
      ? 'the job file does not declare it'
      : `none of the ${loaded.length} job files declares it`;
  const unused = vars.find(({ name }) => !declared.has(name));
  if (unused)
    throw new UserError(`--var ${unused.name}=… was given, but ${nobody}`, {
      code: 'undeclared_var',
      hint: `Declare it with variable "${unused.name}" {} in the job that uses it, or drop the flag.`,
    });
  // A misspelt name in a shared var file would otherwise leave the default in place without a word.
  for (const file of varFiles) {
    const stray = varFileNames(file.path, file.content).find(({ name }) => !declared.has(name));
    if (stray)
      throw new UserError(
        `${file.path}:${stray.range.start.line}:${stray.range.start.column}: "${stray.name}" is set, but ${nobody}`,
        {
          code: 'undeclared_var',
          hint: `Fix the name, declare variable "${stray.name}" {} in the job that uses it, or remove the line.`,
        },
      );
  }
}

/** Job files with errors stop a command before it sends anything: every error (masked) in one message. */
export function refuseInvalidJobFiles(
  jobs: readonly LoadedJob[],
  maskPatterns: readonly string[],
  /** What to do once they are fixed: "plan again". */
  then: string,
): void {
  const broken = jobs.filter((j) => hasErrors(j.diagnostics));
  if (broken.length === 0) return;
  const text = broken
    .flatMap((j) =>
      j.diagnostics
        .filter((d) => d.severity === 'error')
        .map((d) => formatDiagnostic(d, j.sources.get(d.range.file), maskPatterns)),
    )
    .join('\n');
  throw new UserError(
    `${broken.length} job file${broken.length === 1 ? ' has' : 's have'} errors; nothing was sent to Nomad:\n${text}`,
    {
      code: 'invalid_job_files',
      hint: `Fix them (drover validate lists every error), then ${then}.`,
    },
  );
}
