import type { EstateDeclarations } from './estate.js';
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

/** The job files, then `others` (drover.hcl and the files it includes), each in the order given. */
export function summarizeValidation(
  loaded: readonly LoadedJob[],
  others: readonly FileValidation[] = [],
): ValidationResult {
  const files = [
    ...loaded.map((job) => ({
      path: job.path,
      valid: !hasErrors(job.diagnostics),
      diagnostics: [...job.diagnostics].sort(byPosition),
      sources: job.sources,
    })),
    ...others,
  ];
  return { valid: files.every((f) => f.valid), files };
}

/**
 * The estate's files as validate lists them: drover.hcl and each file it includes, each with the diagnostics that
 * point into it; those that point elsewhere (a var file, a policy's rules file) go with drover.hcl.
 */
export function estateValidation(estate: EstateDeclarations): FileValidation[] {
  const own = new Map(estate.files.map((path) => [path, [] as Diagnostic[]]));
  for (const diagnostic of estate.diagnostics)
    (own.get(diagnostic.range.file) ?? own.get(estate.files[0]!)!).push(diagnostic);
  return [...own].map(([path, diagnostics]) => ({
    path,
    valid: !hasErrors(diagnostics),
    diagnostics: diagnostics.sort(byPosition),
    sources: estate.sources,
  }));
}
