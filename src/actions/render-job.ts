import { formatDiagnostic, hasErrors } from '../source/hcl/diagnostics.js';
import { renderJobJson } from '../source/job-json.js';
import { loadJobFiles, type JobInputs } from './load-jobs.js';

/** One job file as the JSON `nomad job run -output` prints, or its diagnostics as text. */
export function renderJobFile(inputs: JobInputs): {
  json?: string;
  diagnostics?: string;
  warnings: string[];
} {
  const [loaded] = loadJobFiles(inputs);
  const format = (d: Parameters<typeof formatDiagnostic>[0]) =>
    formatDiagnostic(d, loaded!.sources.get(d.range.file));
  const warnings = loaded!.diagnostics.filter((d) => d.severity === 'warning').map(format);
  if (!loaded!.job || hasErrors(loaded!.diagnostics))
    return {
      diagnostics: loaded!.diagnostics
        .filter((d) => d.severity === 'error')
        .map(format)
        .join('\n'),
      warnings,
    };
  return { json: renderJobJson(loaded!.job), warnings };
}
