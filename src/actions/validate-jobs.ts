import { summarizeValidation, type ValidationResult } from '../source/validation.js';
import { loadJobFiles, type JobInputs } from './load-jobs.js';

/** Parses and checks job files offline; nothing is sent anywhere. */
export function validateJobs(inputs: JobInputs): ValidationResult {
  return summarizeValidation(loadJobFiles(inputs));
}
