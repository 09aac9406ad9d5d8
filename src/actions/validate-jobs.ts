import { summarizeValidation, type ValidationResult } from '../source/validation.js';
import { hasErrors } from '../source/hcl/diagnostics.js';
import { refuseUnknownDependencies } from './check-dependencies.js';
import { loadJobFiles, type JobInputs } from './load-jobs.js';
import { resolveWorkspaces } from './workspace.js';
import { compareText } from '../util/compare.js';

/**
 * Parses and checks job files offline; nothing is sent anywhere. Each path is read in its own project as plan
 * reads it: the project's job globs, var files and vars.
 */
export function validateJobs(
  inputs: JobInputs & { readonly env: Readonly<Record<string, string | undefined>> },
): ValidationResult {
  const loaded = resolveWorkspaces(inputs).flatMap((workspace) => {
    const jobs = loadJobFiles(workspace.jobs);
    // As plan checks it: a depends_on that names no job of the whole project is an error, not a lost ordering.
    if (!workspace.partial && !jobs.some((j) => hasErrors(j.diagnostics)))
      refuseUnknownDependencies(jobs, workspace.project);
    return jobs;
  });
  return summarizeValidation(loaded.sort((a, b) => compareText(a.path, b.path)));
}
