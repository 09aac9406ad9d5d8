/** `drover validate` output: per file a mark and its diagnostics with source lines, then a one-line summary. */
import type { ValidationResult } from '../source/validation.js';
import { formatDiagnostic } from '../source/hcl/diagnostics.js';

export function renderValidationHuman(result: ValidationResult): string {
  const lines: string[] = [];
  let errors = 0;
  let warnings = 0;
  for (const file of result.files) {
    lines.push(`${file.valid ? '✓' : '✗'} ${file.path}`);
    for (const diagnostic of file.diagnostics) {
      if (diagnostic.severity === 'error') errors++;
      else warnings++;
      lines.push(
        formatDiagnostic(diagnostic, file.sources.get(diagnostic.range.file))
          .split('\n')
          .map((l) => `  ${l}`)
          .join('\n'),
      );
    }
  }
  const invalid = result.files.filter((f) => !f.valid).length;
  const count = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  const summary =
    invalid === 0
      ? `${count(result.files.length, 'file')} valid${warnings ? ` (${count(warnings, 'warning')})` : ''}.`
      : `${count(result.files.length, 'file')}: ${result.files.length - invalid} valid, ${invalid} with errors (${count(errors, 'error')}${warnings ? `, ${count(warnings, 'warning')}` : ''}).`;
  return `${lines.join('\n')}\n\n${summary}`;
}

/** The --json document: stable field names, 1-based positions. */
export function renderValidationJson(result: ValidationResult): unknown {
  return {
    valid: result.valid,
    files: result.files.map((file) => ({
      path: file.path,
      valid: file.valid,
      diagnostics: file.diagnostics.map((d) => ({
        severity: d.severity,
        summary: d.summary,
        detail: d.detail ?? null,
        file: d.range.file,
        line: d.range.start.line,
        column: d.range.start.column,
        end_line: d.range.end.line,
        end_column: d.range.end.column,
      })),
    })),
  };
}
