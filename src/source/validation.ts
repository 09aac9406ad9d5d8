import { hasErrors, type Diagnostic } from './hcl/diagnostics.js';
import type { LoadedJob } from './load-job.js';
import { compareText } from '../util/compare.js';

export interface FileValidation {
  readonly path: string;
  readonly valid: boolean;
  /** Sorted by position. */
  readonly diagnostics: readonly Diagnostic[];
  readonly sources: ReadonlyMap<string, string>;
}

export interface ValidationResult {
  readonly valid: boolean;
  readonly files: readonly FileValidation[];
}

const byPosition = (a: Diagnostic, b: Diagnostic) =>
  compareText(a.range.file, b.range.file) || a.range.start.offset - b.range.start.offset;

export function summarizeValidation(loaded: readonly LoadedJob[]): ValidationResult {
  const files = loaded.map((job) => ({
    path: job.path,
    valid: !hasErrors(job.diagnostics),
    diagnostics: [...job.diagnostics].sort(byPosition),
    sources: job.sources,
  }));
  return { valid: files.every((f) => f.valid), files };
}
