import { statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { ProjectFile } from '../config/project-settings.js';
import { UserError } from '../errors.js';
import { findProjectFile, ProjectFileError, readProjectFile } from '../source/project-file.js';
import type { JobInputs } from './load-jobs.js';

/** The project file for these paths: DIR/drover.hcl for one directory, else ./drover.hcl with no paths. */
export function projectFor(paths: readonly string[], cwd: string): ProjectFile | undefined {
  const dir =
    paths.length === 0
      ? cwd
      : paths.length === 1 && isDirectory(resolve(cwd, paths[0]!))
        ? resolve(cwd, paths[0]!)
        : undefined;
  const path = dir ? findProjectFile(dir) : undefined;
  if (!path) return undefined;
  try {
    return readProjectFile(path);
  } catch (error) {
    if (error instanceof ProjectFileError)
      throw new UserError(`${path} has errors:\n${error.message}`, { code: 'invalid_project_file' });
    throw error;
  }
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/**
 * The job files and variable values with the project's own in front: its `jobs` globs replace a lone directory
 * path, and its `var_files` and `vars` come before the flags' (so flags win).
 */
export function withProject(inputs: JobInputs, project: ProjectFile | undefined): JobInputs {
  if (!project) return inputs;
  return {
    ...inputs,
    paths: inputs.paths.length <= 1 ? (project.jobs ?? ['.']).map((p) => join(project.dir, p)) : inputs.paths,
    vars: [...Object.entries(project.vars ?? {}).map(([k, v]) => `${k}=${v}`), ...(inputs.vars ?? [])],
    varFiles: [...(project.varFiles ?? []).map((f) => join(project.dir, f)), ...(inputs.varFiles ?? [])],
  };
}
