import { summarizeValidation, type ValidationResult } from '../source/validation.js';
import { loadJobFiles, type JobInputs } from './load-jobs.js';
import { projectFor, withProject } from './project-inputs.js';

/**
 * Parses and checks job files offline; nothing is sent anywhere. A directory with a drover.hcl (or no paths and
 * ./drover.hcl) is read as plan reads it: the project's job globs, var files and vars.
 */
export function validateJobs(inputs: JobInputs): ValidationResult {
  return summarizeValidation(loadJobFiles(withProject(inputs, projectFor(inputs.paths, inputs.cwd))));
}
