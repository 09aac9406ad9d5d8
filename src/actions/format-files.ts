import { readFileSync, writeFileSync } from 'node:fs';
import { decodeSourceText, encodingProblem } from '../source/source-text.js';
import { relative } from 'node:path';
import { discoverHclFiles } from '../source/discover.js';
import { formatHcl } from '../source/hcl/format.js';
import { formatDiagnostic } from '../source/hcl/diagnostics.js';

export interface FormatInputs {
  /** Files, directories (searched for *.nomad and *.hcl) or globs; default the current directory. */
  readonly paths: readonly string[];
  readonly cwd: string;
  /** Only say which files are not formatted; write nothing. */
  readonly check: boolean;
}

export interface FormattedFile {
  /** As shown: relative to where drover ran. */
  readonly path: string;
  readonly before: string;
  /** Absent when the file does not parse. */
  readonly after?: string;
  /** Syntax errors, at file:line:col, when it does not parse. */
  readonly errors: readonly string[];
}

/** Formats each file as `nomad fmt` would, writing those that change (unless checking); a file with errors is left alone. */
export function formatFiles(inputs: FormatInputs): FormattedFile[] {
  return discoverHclFiles(inputs.paths, inputs.cwd).map((full) => {
    const path = relative(inputs.cwd, full) || full;
    const before = decodeSourceText(readFileSync(full));
    const result = formatSource(before, path);
    if (result.after !== undefined && result.after !== before && !inputs.check)
      writeFileSync(full, result.after);
    return result;
  });
}

/** Standard input's bytes formatted, refused as a file is when they are not UTF-8. */
export function formatBytes(bytes: Uint8Array, path: string): FormattedFile {
  return formatSource(decodeSourceText(bytes), path);
}

/** One source (a file's, or standard input's) formatted, or its syntax errors. */
function formatSource(before: string, path: string): FormattedFile {
  // A file that is not UTF-8 is never rewritten: its bytes would come back as U+FFFD.
  const badEncoding = encodingProblem(before, path);
  const { text, diagnostics } = badEncoding
    ? { text: undefined, diagnostics: [badEncoding] }
    : formatHcl(before, path);
  return {
    path,
    before,
    ...(text !== undefined ? { after: text } : {}),
    errors: diagnostics.filter((d) => d.severity === 'error').map((d) => formatDiagnostic(d, before)),
  };
}
