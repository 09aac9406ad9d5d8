import { hasErrors, type Diagnostic } from '../source/hcl/diagnostics.js';
import { loadJobFiles, type JobInputs } from './load-jobs.js';

export interface FileValidation {
  readonly path: string;
  readonly valid: boolean;
  readonly diagnostics: readonly Diagnostic[];
  readonly sources: ReadonlyMap<string, string>;
}

export interface ValidationResult {
  readonly valid: boolean;
  readonly files: readonly FileValidation[];
}

const byPosition = (a: Diagnostic, b: Diagnostic) =>
  a.range.file.localeCompare(b.range.file) || a.range.start.offset - b.range.start.offset;

/** Parses and checks job files offline; nothing is sent anywhere. */
export function validateJobs(inputs: JobInputs): ValidationResult {
  const files = loadJobFiles(inputs).map((loaded) => ({
    path: loaded.path,
    valid: !hasErrors(loaded.diagnostics),
    diagnostics: [...loaded.diagnostics].sort(byPosition),
    sources: loaded.sources,
  }));
  return { valid: files.every((f) => f.valid), files };
}
